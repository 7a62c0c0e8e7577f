/** L-BFGS (torch.optim.LBFGS): a limited-memory quasi-Newton method driven by a closure. */
import { Tensor } from '../tensor/tensor.ts';
import { keep, tidy } from '../memory/scope.ts';
import { cat } from '../ops/join.ts';
import { zeros } from '../ops/creation.ts';
import { evaluate, read, runAsync, runSync, scalar, type Closure, type Steps } from './lbfgs-driver.ts';
import { strongWolfe } from './lbfgs-line-search.ts';
import { Optimizer, type OptimizerOptions, type ParamGroupInput, type Params } from './optimizer.ts';

export interface LBFGSOptions extends OptimizerOptions {
  /** The most iterations per `step` (default 20); torch's `max_iter`. */
  maxIter: number;
  /** The most closure evaluations per `step` (default `floor(maxIter * 5 / 4)`); torch's `max_eval`. */
  maxEval: number;
  /** Stop once every gradient element is at most this in magnitude (default 1e-7); torch's `tolerance_grad`. */
  toleranceGrad: number;
  /** Stop once the loss or the step changes by less than this (default 1e-9); torch's `tolerance_change`. */
  toleranceChange: number;
  /** How many past updates approximate the inverse Hessian (default 100); torch's `history_size`. */
  historySize: number;
  /** `'strong_wolfe'` for torch's strong-Wolfe line search, or null for a fixed step of `lr` (default). */
  lineSearchFn: 'strong_wolfe' | null;
}

/**
 * torch's LBFGS state, kept on the first parameter: the last direction `d` and step `t`, the
 * history `oldDirs` (gradient changes), `oldStps` (steps) and `ro` (their 1 / (y·s)), the initial
 * inverse-Hessian scale `hDiag`, the last flat gradient and loss, and the counters `nIter` and
 * `funcEvals` over every `step`. `ro` and `hDiag` are tensors as in torch (`hDiag` is 1 before the
 * first update), `t` a number; the rest are unset until the first iteration. torch's scratch list
 * `al` is not kept.
 */
export type LBFGSState = {
  funcEvals: number;
  nIter: number;
  d?: Tensor;
  t?: number;
  oldDirs?: Tensor[];
  oldStps?: Tensor[];
  ro?: Tensor[];
  hDiag?: Tensor | number;
  prevFlatGrad?: Tensor;
  prevLoss?: number;
};

const dot = (a: Tensor, b: Tensor): Tensor => a.mul(b).sum();

/**
 * L-BFGS as in PyTorch 1.13: each `step(closure)` runs up to `maxIter` iterations of the two-loop
 * recursion over the last `historySize` updates, with a fixed step `lr` (the very first step scaled
 * by `min(1, 1 / |g|_1)`) or torch's strong-Wolfe line search, and torch's stopping rules. It takes
 * one parameter group only, all parameters on one device, and needs `historySize + 1` copies of
 * the parameters' size.
 *
 * The closure clears the gradients, computes the loss, calls `backward()` and returns the loss; it
 * runs with grad enabled, and may be async. flint reads values asynchronously on some backends
 * (webgpu), and LBFGS decides by the loss and gradient values, so `step` returns a Promise of the
 * first loss; `stepSync` does the same synchronously where the backend reads synchronously (cpu-js,
 * wasm-simd) and the closure returns a Tensor. The first loss is the caller's to dispose; every
 * later loss the closure returns is freed once read.
 * @example
 * const opt = new flint.optim.LBFGS(model.parameters(), { lineSearchFn: 'strong_wolfe' });
 * const closure = () => {
 *   opt.zeroGrad();
 *   const loss = flint.tidy(() => lossFn(model.forward(x), y));
 *   loss.backward();
 *   return loss;
 * };
 * for (let i = 0; i < 10; i++) (await opt.step(closure)).dispose();
 */
export class LBFGS extends Optimizer<LBFGSOptions, LBFGSState> {
  constructor(params: Params<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const maxIter = options.maxIter ?? 20;
    const defaults: LBFGSOptions = {
      lr: 1, maxIter, maxEval: Math.floor((maxIter * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null,
    };
    super('LBFGS', params, defaults, options);
    const device = this.params[0]!.device;
    const other = this.params.find((p) => p.device !== device);
    if (other) throw new Error(`LBFGS(): all parameters must be on one device, but found ${device} and ${other.device}`);
  }

  /** Only one group, as in torch; the constructor's and any later one. */
  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) throw new Error("LBFGS(): LBFGS doesn't support per-parameter options (parameter groups)");
    super.addParamGroup(group);
  }

  protected validate(o: LBFGSOptions): void {
    this.check(Number.isInteger(o.maxIter) && o.maxIter > 0, `Invalid maxIter value: ${o.maxIter}`);
    this.check(o.maxEval > 0, `Invalid maxEval value: ${o.maxEval}`);
    this.check(Number.isInteger(o.historySize) && o.historySize > 0, `Invalid historySize value: ${o.historySize}`);
    this.check(o.lineSearchFn === null || o.lineSearchFn === 'strong_wolfe', "only 'strong_wolfe' is supported");
  }

  protected initState(): LBFGSState {
    return { funcEvals: 0, nIter: 0 };
  }

  /** Never called: LBFGS updates every parameter together, in {@link step}. */
  protected update(): void {
    throw new Error('LBFGS(): LBFGS updates all parameters together; call step(closure)');
  }

  private get params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  /**
   * Performs one optimization step (up to `maxIter` iterations) and resolves to the closure's first
   * loss. See the class documentation for the closure.
   */
  override step(closure?: Closure): Promise<Tensor> {
    return runAsync('LBFGS.step()', this.iterate('LBFGS.step()', closure), closure!);
  }

  /** {@link step} with synchronous reads: for cpu-js and wasm-simd, and a closure returning a Tensor. */
  stepSync(closure: () => Tensor): Tensor {
    return runSync('LBFGS.stepSync()', this.iterate('LBFGS.stepSync()', closure), closure);
  }

  private globalState(): LBFGSState {
    const first = this.params[0]!;
    let state = this.state.get(first);
    if (!state) this.state.set(first, (state = this.initState()));
    return state;
  }

  /** The parameters' gradients as one vector, zeros for a parameter without one. */
  private gatherFlatGrad(): Tensor {
    return tidy(() => cat(this.params.map((p) => (p.grad ? p.grad.reshape([-1]) : zeros([p.size], { dtype: p.dtype, device: p.device })))));
  }

  /** Moves the parameters by `stepSize * update`. */
  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      tidy(() => p.add_(update.narrow(0, offset, p.size).view(p.shape), { alpha: stepSize }));
      offset += p.size;
    }
  }

  /** The loss and flat gradient at `x + t d`, the parameters put back to `x` afterwards. */
  private *directionalEvaluate(x: Tensor[], t: number, d: Tensor): Steps<[number, Tensor]> {
    this.addGrad(t, d);
    const lossTensor = yield* evaluate();
    const loss = yield* read(lossTensor);
    lossTensor.dispose();
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]!));
    return [loss, flatGrad];
  }

  /** torch's `LBFGS.step`, asking its driver for values and losses. */
  private *iterate(name: string, closure: Closure | undefined): Steps<Tensor> {
    if (typeof closure !== 'function') throw new TypeError(`${name}: LBFGS needs a closure that reevaluates the model and returns the loss`);
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = this.paramGroups[0]!;
    const state = this.globalState();
    const origLoss = yield* evaluate();
    let loss = yield* read(origLoss);
    let currentEvals = 1;
    state.funcEvals++;
    let flatGrad = this.gatherFlatGrad();
    let { d, t, oldDirs = [], oldStps = [], ro = [], hDiag = 1, prevFlatGrad, prevLoss } = state;
    let iterated = false;
    try {
      let optCond = (yield* scalar(() => flatGrad.abs().max())) <= toleranceGrad;
      if (optCond) return origLoss;
      iterated = true;
      const replaceD = (next: Tensor): void => {
        d?.dispose();
        d = keep(next);
      };
      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        state.nIter++;

        // The descent direction.
        if (state.nIter === 1) {
          replaceD(tidy(() => flatGrad.neg()));
          [oldDirs, oldStps, ro, hDiag] = [[], [], [], 1];
        } else {
          const [y, s, ys] = tidy(() => {
            const y = flatGrad.sub(prevFlatGrad!);
            const s = d!.mul(t!);
            return [y, s, dot(y, s)];
          });
          if ((yield* read(ys)) > 1e-10) {
            if (oldDirs.length === historySize) for (const history of [oldDirs, oldStps, ro]) history.shift()!.dispose();
            oldDirs.push(keep(y));
            oldStps.push(keep(s));
            ro.push(keep(ys.reciprocal()));
            if (hDiag instanceof Tensor) hDiag.dispose();
            hDiag = keep(tidy(() => ys.div(dot(y, y))));
          } else {
            y.dispose();
            s.dispose();
          }
          ys.dispose();
          replaceD(tidy(() => twoLoop(flatGrad, oldDirs, oldStps, ro, hDiag)));
        }
        if (prevFlatGrad) prevFlatGrad.copy_(flatGrad);
        else prevFlatGrad = keep(flatGrad.clone());
        prevLoss = loss;

        // The step length: the very first is scaled down by the gradient's 1-norm, in float32 as
        // torch computes it in a tensor.
        if (state.nIter === 1) {
          const scale = Math.fround(1 / (yield* scalar(() => flatGrad.abs().sum())));
          t = scale < 1 ? Math.fround(scale * lr) : lr;
        } else {
          t = lr;
        }
        const direction = d!;
        const gtd = yield* scalar(() => dot(flatGrad, direction));
        if (gtd > -toleranceChange) break;

        let lsFuncEvals = 0;
        if (lineSearchFn === 'strong_wolfe') {
          const xInit = tidy(() => this.params.map((p) => p.clone()));
          try {
            const found = yield* strongWolfe((step) => this.directionalEvaluate(xInit, step, direction), t, direction, loss, flatGrad, gtd, toleranceChange);
            if (found.grad !== flatGrad) flatGrad.dispose();
            ({ loss, grad: flatGrad, t, evals: lsFuncEvals } = found);
          } finally {
            for (const x of xInit) x.dispose();
          }
          this.addGrad(t, direction);
          optCond = (yield* scalar(() => flatGrad.abs().max())) <= toleranceGrad;
        } else {
          this.addGrad(t, direction);
          // The last iteration does not re-evaluate: in a stochastic setting it would be wasted.
          if (nIter !== maxIter) {
            const lossTensor = yield* evaluate();
            loss = yield* read(lossTensor);
            if (lossTensor !== origLoss) lossTensor.dispose();
            flatGrad.dispose();
            flatGrad = this.gatherFlatGrad();
            optCond = (yield* scalar(() => flatGrad.abs().max())) <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        state.funcEvals += lsFuncEvals;

        // Stopping rules.
        if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
        const stepSize = t;
        if ((yield* scalar(() => direction.mul(stepSize).abs().max())) <= toleranceChange) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }
      return origLoss;
    } finally {
      // Also when the closure throws: the state must not keep tensors freed above.
      if (iterated) Object.assign(state, { d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss });
      flatGrad.dispose();
    }
  }
}

/**
 * The two-loop recursion: the L-BFGS approximation of the inverse Hessian (from the history and
 * the initial scale `hDiag`) applied to the negative gradient.
 */
function twoLoop(flatGrad: Tensor, oldDirs: Tensor[], oldStps: Tensor[], ro: Tensor[], hDiag: Tensor | number): Tensor {
  const al: Tensor[] = [];
  let q = flatGrad.neg();
  for (let i = oldDirs.length - 1; i >= 0; i--) {
    al[i] = dot(oldStps[i]!, q).mul(ro[i]!);
    q = q.sub(oldDirs[i]!.mul(al[i]!));
  }
  let r = q.mul(hDiag);
  for (let i = 0; i < oldDirs.length; i++) {
    const beI = dot(oldDirs[i]!, r).mul(ro[i]!);
    r = r.add(oldStps[i]!.mul(al[i]!.sub(beI)));
  }
  return r;
}
