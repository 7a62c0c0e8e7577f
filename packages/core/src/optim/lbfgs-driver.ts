/**
 * LBFGS is written once, as a generator that yields what it needs from outside (a value read from
 * a backend, a call of the user's closure); these drivers answer it synchronously (`itemSync`, a
 * closure returning a Tensor) or asynchronously (`await item()`, a closure that may return a Promise),
 * so the same algorithm runs on backends that can only read values asynchronously.
 */
import { Tensor } from '../tensor/tensor.ts';
import { noGrad, withGradMode } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';

/** The closure LBFGS re-evaluates: it clears the gradients, runs backward and returns the loss. */
export type Closure = () => Tensor | Promise<Tensor>;

/** What the algorithm asks for: a one-element tensor's value, or a fresh loss from the closure. */
export type Request = { kind: 'read'; tensor: Tensor } | { kind: 'closure' };

/** A computation that yields requests and is resumed with their answers. */
export type Steps<T> = Generator<Request, T, number | Tensor>;

/** The value of a one-element tensor (which stays the caller's). */
export function* read(tensor: Tensor): Steps<number> {
  return (yield { kind: 'read', tensor }) as number;
}

/** The value of the one-element tensor `fn` makes, which is freed once read. */
export function* scalar(fn: () => Tensor): Steps<number> {
  const t = tidy(fn);
  try {
    return yield* read(t);
  } finally {
    t.dispose();
  }
}

/** A fresh loss from the closure; the caller owns it. */
export function* evaluate(): Steps<Tensor> {
  return (yield { kind: 'closure' }) as Tensor;
}

function checkLoss(name: string, loss: unknown): Tensor {
  if (loss instanceof Tensor) return loss;
  const got = loss instanceof Promise ? 'a Promise (an async closure needs `await step(closure)`)' : loss === null ? 'null' : typeof loss;
  throw new TypeError(`${name}: the closure must return the loss Tensor, but got ${got}`);
}

/** The value of a one-element tensor, read synchronously, or an error naming the asynchronous form of the step. */
function readSync(name: string, tensor: Tensor): number {
  if (!tensor.backend.readSync) {
    throw new Error(`${name}: the ${tensor.device} backend cannot read synchronously; use \`await optimizer.step(closure)\` instead`);
  }
  return tensor.itemSync();
}

/**
 * Runs `steps` to completion with synchronous reads. The algorithm runs under `noGrad` and the
 * closure with grad enabled, as torch's `step` does; an error leaves through the generator, so its
 * `finally` blocks free what it holds.
 */
export function runSync<T>(name: string, steps: Steps<T>, closure: Closure): T {
  let next = noGrad(() => steps.next());
  while (!next.done) {
    const request = next.value;
    let answer: number | Tensor;
    try {
      answer = request.kind === 'read' ? readSync(name, request.tensor) : checkLoss(name, withGradMode(true, closure));
    } catch (err) {
      noGrad(() => steps.return(undefined as T));
      throw err;
    }
    next = noGrad(() => steps.next(answer));
  }
  return next.value;
}

/** {@link runSync} with asynchronous reads and a closure that may return a Promise. */
export async function runAsync<T>(name: string, steps: Steps<T>, closure: Closure): Promise<T> {
  let next = noGrad(() => steps.next());
  while (!next.done) {
    const request = next.value;
    let answer: number | Tensor;
    try {
      answer = request.kind === 'read' ? await request.tensor.item() : checkLoss(name, await withGradMode(true, closure));
    } catch (err) {
      noGrad(() => steps.return(undefined as T));
      throw err;
    }
    next = noGrad(() => steps.next(answer));
  }
  return next.value;
}
