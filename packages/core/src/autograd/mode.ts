import { rejectAsyncFunction, rejectPromiseResult } from '../memory/sync-only.ts';

let gradEnabled = true;

/** Whether ops record the graph for autograd right now. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with grad mode set to `enabled`, restoring the previous mode afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** {@link withGradMode} for a caller's function, which must be synchronous; `op` names the public call. */
function withGradModeChecked<T>(op: string, enabled: boolean, fn: () => T): T {
  rejectAsyncFunction(op, fn);
  const result = withGradMode(enabled, fn);
  rejectPromiseResult(op, result);
  return result;
}

/**
 * Runs the synchronous `fn` without recording the graph, like `with torch.no_grad():`.
 * @example const pred = flint.noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGradModeChecked('noGrad', false, fn);
}

/** Runs the synchronous `fn` with graph recording on, even inside {@link noGrad}. */
export function enableGrad<T>(fn: () => T): T {
  return withGradModeChecked('enableGrad', true, fn);
}

/** Sets the grad mode globally and returns the previous value. */
export function setGradEnabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}
