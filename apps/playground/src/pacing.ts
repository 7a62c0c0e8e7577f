/**
 * Long loops in the page's own thread (training, sampling) hand the page back every few
 * milliseconds, so that it draws and answers input while they run.
 */

/** How long a loop may hold the page before it lets it draw and handle input. */
export const FRAME_MS = 30;

/** Ends the current task, so the page renders and handles events. */
export const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A function for a loop to await after each unit of work: it yields to the page once FRAME_MS have passed since the last time. */
export function pacer(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last <= FRAME_MS) return;
    await yieldToPage();
    last = performance.now();
  };
}
