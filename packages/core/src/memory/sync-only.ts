/**
 * `tidy`, `noGrad` and `enableGrad` scope synchronous work only: JavaScript gives no way to follow
 * a function across its `await`s, so tensors made or ops recorded after the first one would
 * escape the scope. These checks turn that mistake into an error before anything runs, or, for a
 * function that is not declared `async` but returns a Promise, right after its synchronous part.
 */

import { typeName } from '../tensor/type-name.ts';

const asyncKinds = new Set(['AsyncFunction', 'AsyncGeneratorFunction']);

/** Throws before `fn` runs when it is declared `async`. */
export function rejectAsyncFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`${op}(): expected a function, but got ${typeName(fn)}`);
  if (asyncKinds.has(fn.constructor.name)) throw new TypeError(misuse(op, 'the function is async'));
}

/**
 * Throws when `result` is a Promise (the function started async work anyway). The abandoned
 * Promise gets a handler so that its later rejection is reported once instead of ending a Node
 * process as an unhandled rejection.
 */
export function rejectPromiseResult(op: string, result: unknown): void {
  if (!(result instanceof Promise)) return;
  result.then(undefined, (err: unknown) => console.warn(`${op}(): the abandoned async function rejected later:`, err));
  throw new TypeError(misuse(op, 'the function returned a Promise'));
}

function misuse(op: string, what: string): string {
  return `${op}(): ${what}; ${op} only covers synchronous work, since JavaScript cannot follow a function across an await. ` +
    `Await outside and pass the synchronous part, e.g. for await (const batch of loader) flint.${op}(() => step(batch));`;
}
