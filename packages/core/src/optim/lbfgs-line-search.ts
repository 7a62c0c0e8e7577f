/**
 * The strong-Wolfe line search of torch.optim.LBFGS (torch's `_strong_wolfe` and
 * `_cubic_interpolate`, ported from minFunc through torch/optim's lswolfe.lua).
 */
import type { Tensor } from '../tensor/tensor.ts';
import { scalar, type Steps } from './lbfgs-driver.ts';

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
 * `bounds` (by default the interval between the points); their midpoint when the cubic has none.
 */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: readonly [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (!(d2Square >= 0)) return (lo + hi) / 2;
  const d2 = Math.sqrt(d2Square);
  const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return Math.min(Math.max(minPos, lo), hi);
}

/** The loss and flat gradient at `x + t d` (the parameters are put back at `x` afterwards). */
export type Objective = (t: number) => Steps<[number, Tensor]>;

export interface LineSearchResult {
  loss: number;
  /** The flat gradient at the accepted step: `g` itself, or a new tensor the caller owns. */
  grad: Tensor;
  t: number;
  evals: number;
}

const dot = (a: Tensor, b: Tensor): Tensor => a.mul(b).sum();

/**
 * Finds a step `t` along `d` satisfying the strong Wolfe conditions, from loss `f`, gradient `g`
 * and directional derivative `gtd` at `t = 0`, as torch's `_strong_wolfe` (c1 = 1e-4, c2 = 0.9,
 * at most 25 evaluations): bracketing by cubic extrapolation, then zooming by cubic interpolation.
 * Every gradient it makes but the one it returns is freed.
 */
export function* strongWolfe(objective: Objective, t: number, d: Tensor, f: number, g: Tensor, gtd: number, toleranceChange: number): Steps<LineSearchResult> {
  const c1 = 1e-4;
  const c2 = 0.9;
  const maxLs = 25;
  const made = new Set<Tensor>();
  let result: LineSearchResult | undefined;
  try {
    const dNorm = yield* scalar(() => d.abs().max());
    let [fNew, gNew] = yield* objective(t);
    made.add(gNew);
    let lsFuncEvals = 1;
    let gtdNew = yield* scalar(() => dot(gNew, d));

    // Bracket an interval containing a point satisfying the Wolfe criteria.
    let [tPrev, fPrev, gPrev, gtdPrev] = [0, f, g, gtd];
    let done = false;
    let lsIter = 0;
    let bracket: number[] = [];
    let bracketF: number[] = [];
    let bracketG: Tensor[] = [];
    let bracketGtd: number[] = [];
    while (lsIter < maxLs) {
      if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
        [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
        break;
      }
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
        done = true;
        break;
      }
      if (gtdNew >= 0) {
        [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
        break;
      }
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      [tPrev, fPrev, gPrev, gtdPrev] = [tmp, fNew, gNew, gtdNew];
      [fNew, gNew] = yield* objective(t);
      made.add(gNew);
      lsFuncEvals++;
      gtdNew = yield* scalar(() => dot(gNew, d));
      lsIter++;
    }
    if (lsIter === maxLs) [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];

    // Zoom: refine the bracket until a point satisfies the criteria.
    let insufProgress = false;
    let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
    while (!done && lsIter < maxLs) {
      if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
      t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
      // A trial too near an end of the bracket, twice running or beyond it, moves a tenth of the
      // bracket inside, so that the bracket keeps shrinking.
      const top = Math.max(...bracket);
      const bottom = Math.min(...bracket);
      const eps = 0.1 * (top - bottom);
      if (Math.min(top - t, t - bottom) < eps) {
        if (insufProgress || t >= top || t <= bottom) {
          t = Math.abs(t - top) < Math.abs(t - bottom) ? top - eps : bottom + eps;
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      [fNew, gNew] = yield* objective(t);
      made.add(gNew);
      lsFuncEvals++;
      gtdNew = yield* scalar(() => dot(gNew, d));
      lsIter++;
      if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]!) {
        // Armijo condition not satisfied, or not lower than the lowest point.
        [bracket[highPos], bracketF[highPos], bracketG[highPos], bracketGtd[highPos]] = [t, fNew, gNew, gtdNew];
        [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) {
          done = true;
        } else if (gtdNew * (bracket[highPos]! - bracket[lowPos]!) >= 0) {
          // The old high becomes the new low.
          [bracket[highPos], bracketF[highPos], bracketG[highPos], bracketGtd[highPos]] = [bracket[lowPos]!, bracketF[lowPos]!, bracketG[lowPos]!, bracketGtd[lowPos]!];
        }
        [bracket[lowPos], bracketF[lowPos], bracketG[lowPos], bracketGtd[lowPos]] = [t, fNew, gNew, gtdNew];
      }
    }
    result = { loss: bracketF[lowPos]!, grad: bracketG[lowPos]!, t: bracket[lowPos]!, evals: lsFuncEvals };
    return result;
  } finally {
    for (const grad of made) if (grad !== result?.grad) grad.dispose();
  }
}
