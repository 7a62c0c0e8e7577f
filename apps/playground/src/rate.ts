/** Steps per second, measured over the steps between two refreshes of the numbers a page shows. */

/** How often the numbers under the controls are refreshed while training. */
const REFRESH_MS = 250;

/**
 * A meter to call after every step: it gives the steps per second since its last reading once
 * REFRESH_MS have passed (or at the `last` step), and null in between, when nothing need be redrawn.
 */
export function stepRate(): (step: number, last: boolean) => number | null {
  let mark = { time: performance.now(), step: 0 };
  return (step, last) => {
    const now = performance.now();
    if (now - mark.time < REFRESH_MS && !last) return null;
    const rate = ((step - mark.step) * 1000) / (now - mark.time);
    mark = { time: now, step };
    return rate;
  };
}
