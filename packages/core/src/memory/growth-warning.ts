/**
 * A warning for the training loop that forgot `tidy`: when the number of live tensors rises at
 * nearly every `backward()` for a long stretch, the loop is keeping something from each step, and
 * in a synchronous loop the garbage-collection backstop cannot run until it yields. Warns once per
 * process; {@link setGrowthWarning} switches it off.
 */
import { liveTensorCount } from './scope.ts';

/** Consecutive backward() calls looked at together. */
const WINDOW = 200;
/** The share of those calls that must each see more live tensors than the call before. */
const RISING_SHARE = 0.9;

let enabled = true;
let warned = false;
let calls = 0;
let rises = 0;
let first = 0;
let last = 0;

/**
 * Switches the warning flint prints when live tensors keep growing across `backward()` calls
 * (on by default). Switching it on again re-arms a warning already given.
 * @example flint.setGrowthWarning(false); // this program keeps a tensor per step on purpose
 */
export function setGrowthWarning(on: boolean): void {
  if (typeof on !== 'boolean') throw new TypeError(`setGrowthWarning(): expected a boolean, but got ${typeof on}`);
  enabled = on;
  warned = false;
  calls = 0;
  rises = 0;
}

/** Called by every `backward()`. */
export function noteBackward(): void {
  if (!enabled || warned) return;
  const now = liveTensorCount();
  if (calls === 0) first = now;
  else if (now > last) rises++;
  last = now;
  if (++calls < WINDOW) return;
  const growth = now - first;
  if (rises >= RISING_SHARE * (WINDOW - 1) && growth >= WINDOW) {
    warned = true;
    console.warn(
      `flint: live tensors grew from ${first} to ${now} over the last ${WINDOW} backward() calls (${(growth / (WINDOW - 1)).toFixed(1)} per step). ` +
        'A training step that is not wrapped in flint.tidy(() => ...) keeps its intermediate tensors until the garbage collector runs, ' +
        'which a synchronous loop never lets happen, and memory runs out. Wrap each step in flint.tidy, or dispose() what the step keeps ' +
        '(store loss.item() rather than the loss tensor). flint.setGrowthWarning(false) silences this warning.',
    );
  }
  calls = 0;
  rises = 0;
}
