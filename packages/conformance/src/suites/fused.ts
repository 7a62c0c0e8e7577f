/**
 * Both paths of the optional fused kernels (softmax, log-softmax, the SGD and Adam updates). Each
 * case runs on the backend with fused kernels on (its own, where it has them) and switched off
 * with `flint.setFusedKernels(false)` (composed from primitives), and on the reference backend
 * composed; all three must agree (fused and composed exactly, with `fusedExact`). A backend
 * without fused kernels runs the composed path twice.
 * The fixture and optim suites check the default (fused) path against PyTorch.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, tidyChecks, type Checks } from '../helpers.ts';
import { forwardTolerance, gradientTolerance, type Tolerance } from '../tolerances.ts';

/** The optim suite's: SGD-like trajectories, and adaptive ones, which amplify rounding. */
const sgdTol: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const adamTol: Tolerance = { rtol: 5e-5, atol: 5e-6 };

/** Runs `fn` with fused kernels switched on or off, restoring the setting afterwards. */
function withFused<T>(on: boolean, fn: () => T): T {
  const was = flint.setFusedKernels(on);
  try {
    return fn();
  } finally {
    flint.setFusedKernels(was);
  }
}

/**
 * Makes the case's tensors on the backend with fused kernels on and off and on the reference,
 * and queues checks that the fused path matches the composed one and both match the reference.
 */
function compareRuns(ctx: SuiteContext, check: Checks, make: (device: string) => flint.Tensor[], tol: Tolerance, label: string): void {
  const fused = withFused(true, () => make(ctx.name));
  const composed = withFused(false, () => make(ctx.name));
  const reference = ctx.reference ? withFused(false, () => make(ctx.reference!)) : undefined;
  fused.forEach((t, i) => {
    const want = (other: flint.Tensor) => ({ shape: other.shape, data: other.data() });
    check.close(t, want(composed[i]!), ctx.fusedExact ? exact : tol, `${label} [${i}] fused vs composed`);
    if (reference) {
      check.close(t, want(reference[i]!), tol, `${label} [${i}] fused vs reference`);
      check.close(composed[i]!, want(reference[i]!), tol, `${label} [${i}] composed vs reference`);
    }
  });
}

/** Deterministic, irregular float32 values of magnitude up to `scale`. */
function grid(shape: number[], device: string, scale = 3): flint.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898 + 1) * scale);
  return flint.tensor(data, { device }).reshape(shape);
}

const inf = Infinity;
/** Lines with PyTorch's special cases: all -inf, +inf, NaN, lone finite values, float32 extremes. */
const specialRows = [
  [-inf, -inf, -inf, -inf, -inf],
  [1, inf, 2, 3, 4],
  [NaN, 0, 1, 2, 3],
  [-inf, 0, -inf, 1, -inf],
  [3e38, -3e38, 3e38, 0, 1],
  [-3e38, -3e38, -3e38, -3e38, -3e38],
];

/** [name, input, axis]: contiguous and strided views, every axis position, awkward values, empty tensors. */
const softmaxCases: Array<[string, (device: string) => flint.Tensor, number]> = [
  ['rows of 37 (vector body and tail)', (d) => grid([4, 37], d), 1],
  ['rows of 3', (d) => grid([5, 3], d), -1],
  ['a middle axis', (d) => grid([2, 5, 3], d), 1],
  ['the first axis', (d) => grid([6, 4], d), 0],
  ['a transposed view', (d) => grid([5, 6], d).T, 1],
  ['a permuted view', (d) => grid([3, 4, 5], d).permute(2, 0, 1), 2],
  ['a narrowed view with an offset', (d) => grid([4, 10], d).narrow(1, 3, 6), 1],
  ['broadcast (stride 0) lines', (d) => grid([1, 9], d).expand(3, 9), 1],
  ['along a broadcast axis', (d) => grid([1, 9], d).expand(3, 9), 0],
  ['large magnitudes', (d) => grid([3, 8], d, 1e4), 1],
  ['-inf, +inf and NaN lines', (d) => flint.tensor(specialRows, { dtype: 'float32', device: d }), 1],
  ['-inf, +inf and NaN down columns', (d) => flint.tensor(specialRows, { dtype: 'float32', device: d }).T.contiguous(), 0],
  ['a 1-d tensor', (d) => grid([7], d), 0],
  ['a 0-d tensor', (d) => flint.tensor(2.5, { dtype: 'float32', device: d }), 0],
  ['no lines', (d) => grid([0, 4], d), 1],
  ['empty lines', (d) => grid([3, 0], d), 1],
  ['an empty 3-d tensor along its first axis', (d) => grid([2, 0, 3], d), 0],
];

function softmaxSuite(ctx: SuiteContext): void {
  describe('softmax and logSoftmax', () => {
    for (const [name, make, axis] of softmaxCases) {
      it(name, () =>
        tidyChecks((check) => {
          const both = (d: string) => [flint.softmax(make(d), axis), flint.logSoftmax(make(d), axis)];
          compareRuns(ctx, check, both, forwardTolerance('softmax'), name);
        }));
    }

    it("PyTorch's special values, by hand: a line of only -inf or with NaN gives NaN", () =>
      tidyChecks((check) => {
        for (const on of [true, false]) {
          withFused(on, () => {
            const x = flint.tensor([[-inf, -inf], [0, -inf], [NaN, 1]], { dtype: 'float32' });
            const path = on ? 'fused' : 'composed';
            check.close(flint.softmax(x, 1), { shape: [3, 2], data: [NaN, NaN, 1, 0, NaN, NaN] }, forwardTolerance('softmax'), `softmax ${path}`);
            check.close(flint.logSoftmax(x, 1), { shape: [3, 2], data: [NaN, NaN, 0, -inf, NaN, NaN] }, forwardTolerance('logSoftmax'), `logSoftmax ${path}`);
            const e = Math.E;
            check.values(flint.softmax(flint.tensor([-inf, 0, -inf, 1], { dtype: 'float32' }), 0), [0, 1 / (1 + e), 0, e / (1 + e)]);
          });
        }
      }));

    it('gradients through the fused forward match the composed ones', () =>
      tidyChecks((check) => {
        const grads = (d: string) =>
          (['softmax', 'logSoftmax'] as const).map((op) => {
            const x = grid([3, 6], d).requiresGrad_();
            flint[op](x, 1).mul(grid([3, 6], d, 1)).sum().backward();
            return x.grad!;
          });
        compareRuns(ctx, check, grads, gradientTolerance('softmax'), 'gradient');
      }));
  });
}

type Options = Record<string, unknown>;
type OptimizerClass = new (params: flint.Tensor[], options: Options) => flint.optim.Optimizer;

/** Every valid combination of SGD's options. */
function sgdConfigs(): Options[] {
  const out: Options[] = [];
  for (const momentum of [0, 0.9]) {
    for (const dampening of [0, 0.3]) {
      for (const nesterov of [false, true]) {
        if (nesterov && (momentum === 0 || dampening !== 0)) continue;
        for (const weightDecay of [0, 0.1]) {
          for (const maximize of [false, true]) out.push({ lr: 0.05, momentum, dampening, nesterov, weightDecay, maximize });
        }
      }
    }
  }
  return out;
}

/** Adam's switches, each on and off. */
function adamConfigs(): Options[] {
  const out: Options[] = [];
  for (const amsgrad of [false, true]) {
    for (const maximize of [false, true]) {
      for (const weightDecay of [0, 0.1]) out.push({ lr: 0.01, amsgrad, maximize, weightDecay });
    }
  }
  return out;
}

/**
 * Four steps of `kind` on a [16, 37] matrix (vector body and tail), a [3] vector and, with
 * `views`, a transposed view (which takes the composed path) and a contiguous row at an offset,
 * with gradients of magnitudes from 1e-2 to 1e2 that change every step. Returns the parameters,
 * then each one's state tensors.
 */
function trajectory(kind: OptimizerClass, options: Options, views: boolean, device: string): flint.Tensor[] {
  const extra = views ? [grid([4, 6], device).T, grid([2, 41], device).narrow(0, 1, 1)] : [];
  const params = [grid([16, 37], device), grid([3], device), ...extra].map((p) => p.requiresGrad_());
  const opt = new kind(params, options);
  for (let step = 0; step < 4; step++) {
    flint.tidy(() => {
      const loss = params.map((p) => {
        const g = Float32Array.from({ length: p.size }, (_, i) => Math.sin(i * 0.7 + step) * 10 ** ((i % 5) - 2));
        return p.mul(flint.tensor(g, { device }).reshape(p.shape)).sum();
      });
      loss.reduce((a, b) => a.add(b)).backward();
      opt.step();
      opt.zeroGrad();
    });
  }
  const state = params.flatMap((p) => Object.values(opt.state.get(p) ?? {}).filter((v): v is flint.Tensor => v instanceof flint.Tensor));
  const out = [...params, ...state].map((t) => t.detach().clone());
  opt.dispose();
  return out;
}

function optimizerSuite(ctx: SuiteContext): void {
  const kinds: Array<[string, OptimizerClass, Options[], Tolerance]> = [
    ['SGD', flint.optim.SGD as unknown as OptimizerClass, sgdConfigs(), sgdTol],
    ['Adam', flint.optim.Adam as unknown as OptimizerClass, adamConfigs(), adamTol],
    ['AdamW', flint.optim.AdamW as unknown as OptimizerClass, adamConfigs(), adamTol],
  ];
  describe('optimizer steps', () => {
    for (const [name, kind, configs, tol] of kinds) {
      for (const options of configs) {
        const label = `${name} ${JSON.stringify(options)}`;
        it(label, () => tidyChecks((check) => compareRuns(ctx, check, (d) => trajectory(kind, options, false, d), tol, label)));
      }
      it(`${name}: a transposed parameter and one at an offset beside contiguous ones`, () =>
        tidyChecks((check) => compareRuns(ctx, check, (d) => trajectory(kind, configs.at(-1)!, true, d), tol, name)));
    }

    it('a step bumps the versions, so a graph that saved a parameter refuses to run backward', () => {
      for (const on of [true, false]) {
        withFused(on, () =>
          flint.tidy(() => {
            for (const make of [(p: flint.Tensor[]) => new flint.optim.SGD(p, { lr: 0.1, momentum: 0.9 }), (p: flint.Tensor[]) => new flint.optim.Adam(p, { amsgrad: true })]) {
              const w = grid([6], ctx.name).requiresGrad_();
              const saved = w.mul(w).sum();
              w.mul(2).sum().backward();
              const opt = make([w]);
              const before = w.version;
              opt.step();
              expect(w.version).toBeGreaterThan(before);
              expect(() => saved.backward()).toThrow(/version/);
              opt.dispose();
            }
          }),
        );
      }
    });
  });
}

export function fusedSuite(ctx: SuiteContext): void {
  describe('fused kernels: the fused and composed paths agree', () => {
    it('setFusedKernels returns the previous setting', () => {
      expect(flint.setFusedKernels(false)).toBe(true);
      expect(flint.setFusedKernels(true)).toBe(false);
    });
    softmaxSuite(ctx);
    optimizerSuite(ctx);
  });
}
