/**
 * The further torch.optim optimizers and schedulers against PyTorch (fixtures/optim2/*.json, made
 * by scripts/optim2_cases.py), with the optim suite's trajectory and schedule checks; their state,
 * memory and option errors.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectFlatMemory, scheduleSuite, trajectorySuite } from './optim.ts';

const { optim } = flint;
const { lrScheduler } = optim;

/** One configuration of each optimizer with every kind of state it keeps. */
const everyState: Array<[string, Record<string, unknown>]> = [
  ['Adadelta', { weightDecay: 0.1 }],
  ['Adamax', { lr: 0.01 }],
  ['NAdam', { lr: 0.01 }],
  ['RAdam', { lr: 0.01 }],
  ['Rprop', { lr: 0.01 }],
  ['ASGD', { lr: 0.01, t0: 5 }],
];

function stateSuite(ctx: SuiteContext): void {
  const param = (values: number[]): flint.Tensor => flint.tensor(values, { dtype: 'float32', requiresGrad: true, device: ctx.name });
  describe('optim2: optimizer state', () => {
    for (const [kind, options] of everyState) {
      it(`${kind}: memory stays flat over 200 steps in tidy, and dispose() frees the state`, () => expectFlatMemory(ctx.name, kind, options));
    }

    it("stateDict uses torch's state names and defaults", () => {
      const w = param([1, -2]);
      const cases: Array<[flint.optim.Optimizer, string[], Record<string, unknown>]> = [
        [new optim.Adadelta([w]), ['accDelta', 'squareAvg', 'step'], { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }],
        [new optim.Adamax([w]), ['expAvg', 'expInf', 'step'], { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }],
        [new optim.NAdam([w]), ['expAvg', 'expAvgSq', 'muProduct', 'step'], { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 }],
        [new optim.RAdam([w]), ['expAvg', 'expAvgSq', 'step'], { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }],
        [new optim.Rprop([w]), ['prev', 'step', 'stepSize'], { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false }],
        [new optim.ASGD([w]), ['ax', 'eta', 'mu', 'step'], { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false }],
      ];
      flint.tidy(() => w.square().sum().backward());
      for (const [opt, keys, defaults] of cases) {
        opt.step();
        const sd = opt.stateDict();
        expect(Object.keys(sd.state[0]!).sort()).toEqual(keys);
        expect(sd.state[0]!.step).toBe(1);
        expect(sd.param_groups[0]).toEqual({ params: [0], ...defaults });
        opt.dispose();
      }
      w.dispose();
    });

    it('ASGD keeps the running average of the iterates once averaging starts', async () => {
      // With t0 = 0, torch's ASGD copies the iterate for two steps, then weights step k's by
      // 1/(k - 1): ax is the mean of the iterates from the second on.
      const w = param([1, -2]);
      const opt = new optim.ASGD([w], { lr: 0.1, lambd: 0, t0: 0 });
      const iterates: number[][] = [];
      for (let i = 0; i < 4; i++) {
        flint.tidy(() => w.square().sum().backward());
        opt.step();
        opt.zeroGrad();
        iterates.push((await w.tolist()) as number[]);
      }
      const averaged = iterates.slice(1);
      const mean = [0, 1].map((j) => averaged.reduce((sum, it) => sum + it[j]!, 0) / averaged.length);
      const ax = (await opt.state.get(w)!.ax.tolist()) as number[];
      ax.forEach((v, j) => expect(v).toBeCloseTo(mean[j]!, 6));
      opt.dispose();
      w.dispose();
    });
  });

  describe('optim2: option errors name the optimizer and the problem', () => {
    const cases: Array<[string, (w: flint.Tensor) => unknown, string]> = [
      ['Adadelta negative lr', (w) => new optim.Adadelta([w], { lr: -1 }), 'Adadelta(): Invalid learning rate: -1'],
      ['Adadelta rho above 1', (w) => new optim.Adadelta([w], { rho: 1.5 }), 'Adadelta(): Invalid rho value: 1.5'],
      ['Adadelta negative eps', (w) => new optim.Adadelta([w], { eps: -1 }), 'Adadelta(): Invalid epsilon value: -1'],
      ['Adamax beta of 1', (w) => new optim.Adamax([w], { betas: [0.9, 1] }), 'Adamax(): Invalid beta parameter at index 1: 1'],
      ['Adamax negative weightDecay', (w) => new optim.Adamax([w], { weightDecay: -1 }), 'Adamax(): Invalid weightDecay value: -1'],
      ['NAdam negative momentumDecay', (w) => new optim.NAdam([w], { momentumDecay: -1 }), 'NAdam(): Invalid momentumDecay value: -1'],
      ['NAdam negative beta in a group', (w) => new optim.NAdam([{ params: [w], betas: [-0.1, 0.9] }]), 'NAdam(): Invalid beta parameter at index 0: -0.1'],
      ['RAdam negative eps', (w) => new optim.RAdam([w], { eps: -1 }), 'RAdam(): Invalid epsilon value: -1'],
      ['Rprop etaminus above 1', (w) => new optim.Rprop([w], { etas: [1.5, 2] }), 'Rprop(): Invalid eta values: 1.5, 2'],
      ['Rprop etaplus below 1', (w) => new optim.Rprop([w], { etas: [0.5, 0.9] }), 'Rprop(): Invalid eta values: 0.5, 0.9'],
      ['ASGD negative lr', (w) => new optim.ASGD([w], { lr: -1 }), 'ASGD(): Invalid learning rate: -1'],
      ['ASGD negative weightDecay', (w) => new optim.ASGD([w], { weightDecay: -0.5 }), 'ASGD(): Invalid weightDecay value: -0.5'],
    ];
    for (const [what, make, message] of cases) {
      it(what, () => flint.tidy(() => expect(() => make(param([1, 2]))).toThrow(message)));
    }
  });

  describe('optim2: scheduler errors', () => {
    const sgd = (): flint.optim.SGD => new optim.SGD([flint.zeros([1], { requiresGrad: true, device: ctx.name })], { lr: 0.1, momentum: 0.9 });
    const cases: Array<[string, () => unknown, string]> = [
      ['ConstantLR factor above 1', () => new lrScheduler.ConstantLR(sgd(), { factor: 1.5 }), 'ConstantLR(): Constant multiplicative factor expected to be between 0 and 1.'],
      ['MultiplicativeLR with too many functions', () => new lrScheduler.MultiplicativeLR(sgd(), { lrLambda: [() => 1, () => 1] }), 'MultiplicativeLR(): Expected 1 lrLambdas, but got 2'],
      ['CosineAnnealingWarmRestarts t0 of 0', () => new lrScheduler.CosineAnnealingWarmRestarts(sgd(), { t0: 0 }), 'CosineAnnealingWarmRestarts(): Expected positive integer t0, but got 0'],
      ['CosineAnnealingWarmRestarts fractional tMult', () => new lrScheduler.CosineAnnealingWarmRestarts(sgd(), { t0: 2, tMult: 1.5 }), 'CosineAnnealingWarmRestarts(): Expected integer tMult >= 1, but got 1.5'],
      ['CosineAnnealingWarmRestarts negative epoch', () => new lrScheduler.CosineAnnealingWarmRestarts(sgd(), { t0: 2 }).step(-1), 'CosineAnnealingWarmRestarts(): Expected non-negative epoch, but got -1'],
      ['CyclicLR unknown mode', () => new lrScheduler.CyclicLR(sgd(), { baseLr: 0.1, maxLr: 1, mode: 'sawtooth' as 'triangular' }), 'CyclicLR(): mode is invalid and scaleFn is None'],
      ['CyclicLR momentum without momentum', () => new lrScheduler.CyclicLR(new optim.Adam([flint.zeros([1], { requiresGrad: true, device: ctx.name })]), { baseLr: 0.1, maxLr: 1 }), 'CyclicLR(): optimizer must support momentum with `cycleMomentum` option enabled'],
      ['CyclicLR maxLr per group count', () => new lrScheduler.CyclicLR(sgd(), { baseLr: 0.1, maxLr: [1, 2] }), 'CyclicLR(): expected 1 values for maxLr, got 2'],
      ['ChainedScheduler over two optimizers', () => new lrScheduler.ChainedScheduler([new lrScheduler.ConstantLR(sgd()), new lrScheduler.ConstantLR(sgd())]), 'ChainedScheduler(): ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different'],
    ];
    for (const [what, make, message] of cases) {
      it(what, () => flint.tidy(() => expect(make).toThrow(message)));
    }
  });
}

export function optim2Suite(ctx: SuiteContext): void {
  trajectorySuite(ctx, 'optim2');
  scheduleSuite(ctx, 'optim2');
  stateSuite(ctx);
}
