/**
 * flint.optim against torch.optim (fixtures/optim/*.json, made by scripts/optim_cases.py): every
 * optimizer's trajectory on a fixed problem step by step, state-dict round trips, zeroGrad, flat
 * memory over many steps, option errors, and every LR scheduler's values.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, expectNoGrowth, expectValues, tidyChecks, type Encoded } from '../helpers.ts';
import type { Tolerance } from '../tolerances.ts';
import type { SuiteContext } from '../context.ts';

const { optim } = flint;
const { lrScheduler } = optim;

// ---- tolerances, stated once ------------------------------------------------------------------------
/** Parameters and losses of SGD-like trajectories: float32 rounding compounds over 10 steps. */
const trajectoryTol: Tolerance = { rtol: 1e-5, atol: 1e-6 };
/** Adaptive optimizers divide by running moments, which amplifies rounding differences. */
const adaptiveTol: Tolerance = { rtol: 5e-5, atol: 5e-6 };
const adaptive = new Set(['Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'Rprop']);
/** Learning rates are plain double arithmetic on both sides; only libm's last bits may differ. */
const scheduleTol: Tolerance = { rtol: 1e-12, atol: 1e-15 };

// ---- fixtures ---------------------------------------------------------------------------------------
type Options = Record<string, unknown>;
type GroupSpec = Options & { params: number[] };

interface TrajectoryCase {
  name: string;
  optimizer: string;
  options: Options;
  groups?: GroupSpec[];
  /** The loss before each step. */
  losses: number[];
  /** [W, b] after each step. */
  params: Encoded[][];
}

interface Problem {
  W: Encoded;
  b: Encoded;
  x: Encoded;
  y: Encoded;
  c: Encoded;
}

interface SchedulerSpec {
  type: string;
  options: Options;
}

interface ScheduleCase {
  name: string;
  optimizer: { type: string; options: Options; groups: GroupSpec[] };
  scheduler: SchedulerSpec;
  /** Every group's lr after construction, then after each step. */
  lrs: number[][];
  /** OneCycleLR's momentum (SGD's `momentum`, Adam's `betas[0]`) alongside. */
  momenta?: number[][];
  /** ReduceLROnPlateau's metric for each step. */
  metrics?: number[];
  /** The epoch passed to each step (CosineAnnealingWarmRestarts' fractional epochs). */
  epochs?: number[];
}

/** A fixture folder under fixtures/: `optim` (scripts/optim_cases.py) or `optim2` (scripts/optim2_cases.py). */
export type OptimFixtures = 'optim' | 'optim2';

function load<T>(folder: OptimFixtures, file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/${folder}/${file}`, import.meta.url)), 'utf8')) as T;
}

// ---- building optimizers and schedulers from fixture specs -------------------------------------------
type OptimizerClass = new (params: Iterable<flint.Tensor> | Iterable<GroupInput>, options: Options) => flint.optim.Optimizer;
type GroupInput = Options & { params: flint.Tensor[] };
const optimizers: Record<string, OptimizerClass> = {
  SGD: optim.SGD as unknown as OptimizerClass,
  Adam: optim.Adam as unknown as OptimizerClass,
  AdamW: optim.AdamW as unknown as OptimizerClass,
  RMSprop: optim.RMSprop as unknown as OptimizerClass,
  Adagrad: optim.Adagrad as unknown as OptimizerClass,
  Adadelta: optim.Adadelta as unknown as OptimizerClass,
  Adamax: optim.Adamax as unknown as OptimizerClass,
  NAdam: optim.NAdam as unknown as OptimizerClass,
  RAdam: optim.RAdam as unknown as OptimizerClass,
  Rprop: optim.Rprop as unknown as OptimizerClass,
  ASGD: optim.ASGD as unknown as OptimizerClass,
};

function makeOptimizer(kind: string, params: flint.Tensor[], options: Options, groups?: GroupSpec[]): flint.optim.Optimizer {
  const input = groups ? groups.map((g) => ({ ...g, params: g.params.map((i) => params[i]!) })) : params;
  return new optimizers[kind]!(input, options);
}

/** The same functions as LAMBDAS in optim_cases.py and optim2_cases.py. */
const lambdas: Record<string, flint.optim.lrScheduler.LrLambda> = {
  power: (epoch) => 0.95 ** epoch,
  warmup: (epoch) => Math.min(1, (epoch + 1) / 5),
  shrink: () => 0.9,
  alternate: (epoch) => (epoch % 2 ? 1.1 : 0.8),
  halving: (x) => 0.5 ** x,
};
const lambdasOf = (names: string | string[]): flint.optim.lrScheduler.LrLambda | flint.optim.lrScheduler.LrLambda[] =>
  Array.isArray(names) ? names.map((n) => lambdas[n]!) : lambdas[names]!;

/** What the suite drives on every kind of scheduler. */
interface AnyScheduler {
  step(metric?: number): void;
  getLastLr(): number[];
  stateDict(): object;
  loadStateDict(state: object): void;
}
type SchedulerClass = new (optimizer: flint.optim.Optimizer, options: Options) => AnyScheduler;

function makeScheduler(opt: flint.optim.Optimizer, spec: SchedulerSpec): AnyScheduler {
  const o = { ...spec.options };
  // Functions and nested schedulers are named in the fixture; build them.
  if (o.lrLambda !== undefined) o.lrLambda = lambdasOf(o.lrLambda as string | string[]);
  if (o.scaleFn !== undefined) o.scaleFn = lambdas[o.scaleFn as string];
  if (o.schedulers !== undefined) o.schedulers = (o.schedulers as SchedulerSpec[]).map((s) => makeScheduler(opt, s));
  if (spec.type === 'ChainedScheduler') return new lrScheduler.ChainedScheduler(o.schedulers as flint.optim.lrScheduler.LRScheduler[]);
  const cls = (lrScheduler as unknown as Record<string, SchedulerClass>)[spec.type];
  expect(cls, `no flint scheduler ${spec.type}`).toBeDefined();
  return new cls!(opt, o);
}

// ---- the fixed problem ------------------------------------------------------------------------------
/** loss(W, b) = sum((W x + b - y)^2) + sum(b^2 c), as in optim_cases.py. */
function lossOf([W, b]: flint.Tensor[], data: Record<'x' | 'y' | 'c', flint.Tensor>): flint.Tensor {
  return W!.matmul(data.x).add(b!).sub(data.y).square().sum().add(b!.mul(b!).mul(data.c).sum());
}

/** Fresh leaf parameters holding `values`. */
function leaves(values: Encoded[], device: string): flint.Tensor[] {
  return values.map((e) => flint.keep(flint.tidy(() => decode(e, device).clone()).requiresGrad_()));
}

/**
 * Trains for `steps` steps from `first`, checking the loss before and the parameters after each
 * step against the fixture; returns the parameters' values after each step. Runs in tidy scopes:
 * only the optimizer's state survives between steps.
 */
async function follow(c: TrajectoryCase, problem: Problem, device: string, opt: flint.optim.Optimizer, params: flint.Tensor[], first: number, steps: number): Promise<number[][][]> {
  const tol = adaptive.has(c.optimizer) ? adaptiveTol : trajectoryTol;
  const values: number[][][] = [];
  for (let i = first; i < first + steps; i++) {
    let reads: Array<Promise<flint.AnyTypedArray>> = [];
    await tidyChecks((check) => {
      const data = { x: decode(problem.x, device), y: decode(problem.y, device), c: decode(problem.c, device) };
      const loss = lossOf(params, data);
      check.close(loss, { shape: [], data: [c.losses[i]!] }, tol, `loss before step ${i + 1}`);
      loss.backward();
      opt.step();
      opt.zeroGrad();
      params.forEach((p, k) => check.close(p, c.params[i]![k]!, tol, `${'Wb'[k]} after step ${i + 1}`));
      reads = params.map((p) => p.data());
    });
    values.push((await Promise.all(reads)).map((v) => Array.from(v)));
  }
  return values;
}

/** Every trajectory in `folder`'s fixtures, uninterrupted and resumed from a state dict. */
export function trajectorySuite(ctx: SuiteContext, folder: OptimFixtures): void {
  const { steps, problem, cases } = load<{ steps: number; problem: Problem; cases: TrajectoryCase[] }>(folder, 'trajectories.json');
  const start = [problem.W, problem.b];
  const dispose = (opt: flint.optim.Optimizer, params: flint.Tensor[]): void => {
    opt.dispose();
    for (const p of params) p.dispose();
  };
  describe(`${folder}: trajectories match torch.optim`, () => {
    for (const c of cases) {
      /** The parameters after each step, uninterrupted. */
      const uninterrupted = async (): Promise<number[][][]> => {
        const params = leaves(start, ctx.name);
        const opt = makeOptimizer(c.optimizer, params, c.options, c.groups);
        const values = await follow(c, problem, ctx.name, opt, params, 0, steps);
        dispose(opt, params);
        return values;
      };

      it(c.name, async () => {
        const before = held(ctx.name);
        await uninterrupted();
        expectNoGrowth(held(ctx.name), before, 'memory held after training and disposing');
      });

      it(`${c.name}: continues identically after loadStateDict into a fresh optimizer`, async () => {
        const half = Math.floor(steps / 2);
        const params = leaves(start, ctx.name);
        const opt = makeOptimizer(c.optimizer, params, c.options, c.groups);
        await follow(c, problem, ctx.name, opt, params, 0, half);
        const resumed = params.map((p) => flint.keep(flint.tidy(() => p.detach().clone()).requiresGrad_()));
        const fresh = makeOptimizer(c.optimizer, resumed, c.options, c.groups);
        fresh.loadStateDict(opt.stateDict());
        // The loaded state must be a copy: the original's is freed before training continues.
        dispose(opt, params);
        const tail = await follow(c, problem, ctx.name, fresh, resumed, half, steps - half);
        dispose(fresh, resumed);
        expect(tail, 'the resumed run differs from the uninterrupted one').toEqual((await uninterrupted()).slice(half));
      });
    }
  });
}

// ---- optimizer behaviour ------------------------------------------------------------------------------
/** One configuration of each optimizer with every kind of state it keeps. */
const everyState: Array<[string, Options]> = [
  ['SGD', { lr: 0.01, momentum: 0.9, nesterov: true }],
  ['Adam', { lr: 0.01, amsgrad: true }],
  ['AdamW', { lr: 0.01 }],
  ['RMSprop', { lr: 0.01, momentum: 0.5, centered: true }],
  ['Adagrad', { lr: 0.01 }],
];

function held(device: string): { tensors: number; bytes: number; buffers: number } {
  const m = flint.memory();
  return { tensors: m.tensors, bytes: m.bytes, buffers: m.backends[device]?.buffers ?? 0 };
}

/** Steps an optimizer of `kind` 200 times in tidy scopes: memory stays flat, and dispose() frees its state. */
export function expectFlatMemory(device: string, kind: string, options: Options): void {
  const start = held(device);
  const w = flint.tensor([0.5, -1, 2], { dtype: 'float32', requiresGrad: true, device });
  const opt = makeOptimizer(kind, [w], options);
  const stepOnce = (): void =>
    flint.tidy(() => {
      w.square().sum().backward();
      opt.step();
      opt.zeroGrad();
    });
  stepOnce();
  const warm = held(device);
  for (let i = 0; i < 200; i++) stepOnce();
  expect(held(device)).toEqual(warm);
  opt.dispose();
  w.dispose();
  expect(held(device)).toEqual(start);
}

function behaviourSuite(ctx: SuiteContext): void {
  const on = { device: ctx.name };
  const param = (values: number[]): flint.Tensor => flint.tensor(values, { dtype: 'float32', requiresGrad: true, ...on });
  /** Fills `.grad` of each parameter with d/dp sum(p^2 * k) for the given k. */
  const backward = (params: flint.Tensor[], k = 1): void => flint.tidy(() => params.map((p) => p.square().mul(k).sum()).reduce((a, b) => a.add(b)).backward());

  describe('optim: Optimizer', () => {
    it('step updates the parameters in place, keeping their identity; parameters without a grad are skipped', async () => {
      const [w, unused] = [param([1, -2]), param([3])];
      const opt = new optim.SGD([w, unused], { lr: 0.1, momentum: 0.9 });
      const before = w.version;
      backward([w]);
      opt.step();
      expect(w.version).toBeGreaterThan(before);
      await expectValues(w, [0.8, -1.6]);
      expect(await unused.tolist()).toEqual([3]);
      expect(opt.state.has(unused), 'state made for a parameter without grad').toBe(false);
      expect(opt.paramGroups[0]!.params[0]).toBe(w);
      opt.dispose();
      for (const t of [w, unused]) t.dispose();
    });

    it('zeroGrad() sets grads to null and frees them; zeroGrad(false) zeroes them in place', async () => {
      const w = param([1, 2]);
      const opt = new optim.Adam([w]);
      backward([w]);
      const tensors = held(ctx.name).tensors;
      opt.zeroGrad();
      expect(w.grad).toBeNull();
      expect(held(ctx.name).tensors, 'the old grad is disposed').toBe(tensors - 1);
      backward([w]);
      const grad = w.grad!;
      opt.zeroGrad(false);
      expect(w.grad).toBe(grad);
      expect(await grad.tolist()).toEqual([0, 0]);
      backward([w], 3);
      expect(await w.grad!.tolist(), 'backward accumulates into the zeroed grad').toEqual([6, 12]);
      opt.dispose();
      w.dispose();
    });

    it('groups take the defaults and override them; addParamGroup adds one', () => {
      const [a, b, c] = [param([1]), param([2]), param([3])];
      const opt = new optim.SGD([{ params: [a] }, { params: b, lr: 0.5, momentum: 0.9 }], { lr: 0.1, weightDecay: 0.01 });
      opt.addParamGroup({ params: [c], nesterov: true, momentum: 0.5 });
      const [g0, g1, g2] = opt.paramGroups;
      expect([g0!.lr, g0!.momentum, g0!.weightDecay]).toEqual([0.1, 0, 0.01]);
      expect([g1!.lr, g1!.momentum, g1!.params]).toEqual([0.5, 0.9, [b]]);
      expect([g2!.lr, g2!.nesterov, g2!.momentum]).toEqual([0.1, true, 0.5]);
      for (const t of [a, b, c]) t.dispose();
    });

    it("stateDict has PyTorch's layout: state by parameter index, param_groups with index lists", () => {
      const [a, b, unused] = [param([1, 2]), param([3]), param([4])];
      const opt = new optim.Adam([{ params: [a] }, { params: [unused, b], lr: 0.5 }], { amsgrad: true });
      backward([a, b]);
      opt.step();
      const sd = opt.stateDict();
      expect(sd.param_groups.map((g) => g.params)).toEqual([[0], [1, 2]]);
      expect(sd.param_groups[1]).toEqual({ params: [1, 2], lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false });
      expect(Object.keys(sd.state).sort()).toEqual(['0', '2']);
      expect(sd.state[2]!.step).toBe(1);
      expect(Object.keys(sd.state[0]!).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
      expect(sd.state[0]!.expAvg).toBe(opt.state.get(a)!.expAvg);
      opt.dispose();
      for (const t of [a, b, unused]) t.dispose();
    });

    it('loadStateDict copies the state, frees the state it replaces, and takes the saved group options', async () => {
      const [a, a2] = [param([1, 2]), param([1, 2])];
      const opt = new optim.SGD([a], { lr: 0.1, momentum: 0.9 });
      const other = new optim.SGD([a2], { lr: 0.1, momentum: 0.5 });
      backward([a, a2]);
      opt.step();
      other.step();
      opt.paramGroups[0]!.lr = 0.25;
      const tensors = held(ctx.name).tensors;
      other.loadStateDict(opt.stateDict());
      expect(held(ctx.name).tensors, 'one momentum buffer replaced by one copy').toBe(tensors);
      const [mine, theirs] = [opt.state.get(a)!.momentumBuffer!, other.state.get(a2)!.momentumBuffer!];
      expect(theirs).not.toBe(mine);
      expect(await theirs.tolist()).toEqual(await mine.tolist());
      expect([other.paramGroups[0]!.lr, other.paramGroups[0]!.momentum, other.paramGroups[0]!.params[0]]).toEqual([0.25, 0.9, a2]);
      for (const o of [opt, other]) o.dispose();
      for (const t of [a, a2]) t.dispose();
    });

    it('a custom Optimizer subclass: state it replaces is disposed, state it assigns survives tidy', async () => {
      /** Gradient descent that remembers the last gradient by replacing a state tensor, not updating it. */
      class LastGrad extends optim.Optimizer<{ lr: number }, { last?: flint.Tensor }> {
        constructor(params: flint.Tensor[]) {
          super('LastGrad', params, { lr: 0.1 }, {});
        }
        protected validate(): void {}
        protected initState(): { last?: flint.Tensor } {
          return {};
        }
        protected update(p: flint.Tensor, grad: flint.Tensor, group: flint.optim.ParamGroup, state: { last?: flint.Tensor }): void {
          state.last = grad.clone();
          p.sub_(grad, { alpha: group.lr });
        }
      }
      const start = held(ctx.name);
      const w = param([1, 2]);
      const opt = new LastGrad([w]);
      let lastGrad: Promise<flint.NestedArray> = Promise.resolve([]);
      const stepOnce = (k: number): void =>
        flint.tidy(() => {
          backward([w], k);
          // The read starts before the step, so it sees this step's gradient.
          lastGrad = w.grad!.tolist();
          opt.step();
          opt.zeroGrad();
        });
      stepOnce(1);
      const warm = held(ctx.name);
      for (let k = 2; k <= 50; k++) stepOnce(k);
      expect(held(ctx.name)).toEqual(warm);
      await expectValues(opt.state.get(w)!.last!, (await lastGrad) as number[]);
      opt.dispose();
      w.dispose();
      expectNoGrowth(held(ctx.name), start, 'after disposing');
    });

    for (const [kind, options] of everyState) {
      it(`${kind}: memory stays flat over 200 steps in tidy, and dispose() frees the state`, () => expectFlatMemory(ctx.name, kind, options));
    }
  });

  describe('optim: option errors name the optimizer and the problem', () => {
    const cases: Array<[string, (w: flint.Tensor) => unknown, string]> = [
      ['negative lr', (w) => new optim.SGD([w], { lr: -1 }), 'SGD(): Invalid learning rate: -1'],
      ['negative momentum', (w) => new optim.SGD([w], { lr: 0.1, momentum: -0.5 }), 'SGD(): Invalid momentum value: -0.5'],
      ['nesterov without momentum', (w) => new optim.SGD([w], { lr: 0.1, nesterov: true }), 'SGD(): Nesterov momentum requires a momentum and zero dampening'],
      ['negative lr in a group', (w) => new optim.SGD([{ params: [w], lr: -2 }], { lr: 0.1 }), 'SGD(): Invalid learning rate: -2'],
      ['Adam negative lr', (w) => new optim.Adam([w], { lr: -1 }), 'Adam(): Invalid learning rate: -1'],
      ['Adam beta1 of 1', (w) => new optim.Adam([w], { betas: [1, 0.999] }), 'Adam(): Invalid beta parameter at index 0: 1'],
      ['Adam negative beta2', (w) => new optim.Adam([w], { betas: [0.9, -0.1] }), 'Adam(): Invalid beta parameter at index 1: -0.1'],
      ['Adam negative eps', (w) => new optim.Adam([w], { eps: -1 }), 'Adam(): Invalid epsilon value: -1'],
      ['AdamW negative weightDecay', (w) => new optim.AdamW([w], { weightDecay: -1 }), 'AdamW(): Invalid weightDecay value: -1'],
      ['RMSprop negative alpha', (w) => new optim.RMSprop([w], { alpha: -1 }), 'RMSprop(): Invalid alpha value: -1'],
      ['Adagrad negative lrDecay', (w) => new optim.Adagrad([w], { lrDecay: -1 }), 'Adagrad(): Invalid lrDecay value: -1'],
      ['Adagrad negative initialAccumulatorValue', (w) => new optim.Adagrad([w], { initialAccumulatorValue: -1 }), 'Adagrad(): Invalid initialAccumulatorValue value: -1'],
      ['empty parameter list', () => new optim.Adam([]), 'Adam(): optimizer got an empty parameter list'],
      ['a non-leaf parameter', (w) => new optim.Adam([w.mul(2)]), "Adam(): can't optimize a non-leaf Tensor"],
      ['a parameter in two groups', (w) => new optim.Adam([{ params: [w] }, { params: [w] }]), 'Adam(): some parameters appear in more than one parameter group'],
      ['a mismatched state dict', (w) => new optim.SGD([w], { lr: 1 }).loadStateDict({ state: {}, param_groups: [] }), 'SGD.loadStateDict(): loaded state dict has a different number of parameter groups'],
    ];
    for (const [what, make, message] of cases) {
      it(what, () =>
        flint.tidy(() => {
          const w = param([1, 2]);
          expect(() => make(w)).toThrow(message);
        }),
      );
    }
  });
}

// ---- learning-rate schedulers ---------------------------------------------------------------------------
function momentumOf(group: flint.optim.ParamGroup): number {
  const g = group as flint.optim.ParamGroup & { momentum?: number; betas?: readonly number[] };
  return g.betas ? g.betas[0]! : g.momentum!;
}

function expectNumbers(actual: number[], expected: number[], tol: Tolerance, label: string): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `${label}[${i}]: got ${a}, expected ${expected[i]}`).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(expected[i]!)));
}

/** A scheduler on a fresh optimizer over two zero parameters, as in optim_cases.py. */
function scheduled(c: ScheduleCase, device: string): { opt: flint.optim.Optimizer; scheduler: AnyScheduler; params: flint.Tensor[] } {
  const params = [0, 1].map(() => flint.zeros([1], { requiresGrad: true, device }));
  const opt = makeOptimizer(c.optimizer.type, params, c.optimizer.options, c.optimizer.groups);
  return { opt, scheduler: makeScheduler(opt, c.scheduler), params };
}

/** Steps the scheduler from `first` to the end, checking each step's lrs (and momenta) against torch. */
function checkSchedule(c: ScheduleCase, opt: flint.optim.Optimizer, scheduler: AnyScheduler, first: number): void {
  for (let i = first; i < c.lrs.length; i++) {
    if (i > 0) {
      opt.step();
      scheduler.step(stepArgument(c, i - 1));
    }
    expectNumbers(scheduler.getLastLr(), c.lrs[i]!, scheduleTol, `lr at step ${i}`);
    expectNumbers(opt.paramGroups.map((g) => g.lr), c.lrs[i]!, scheduleTol, `group lr at step ${i}`);
    if (c.momenta) expectNumbers(opt.paramGroups.map(momentumOf), c.momenta[i]!, scheduleTol, `momentum at step ${i}`);
  }
}

/** What the fixture passed to step `i`: ReduceLROnPlateau's metric or an explicit epoch. */
function stepArgument(c: ScheduleCase, i: number): number | undefined {
  return (c.metrics ?? c.epochs)?.[i];
}

/** Every schedule in `folder`'s fixtures, from the start and resumed from state dicts. */
export function scheduleSuite(ctx: SuiteContext, folder: OptimFixtures): void {
  const { cases } = load<{ cases: ScheduleCase[] }>(folder, 'schedulers.json');
  describe(`${folder}: lrScheduler matches torch.optim.lr_scheduler`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const { opt, scheduler, params } = scheduled(c, ctx.name);
        checkSchedule(c, opt, scheduler, 0);
        for (const p of params) p.dispose();
      });

      it(`${c.name}: resumes from stateDict`, () => {
        const half = 10;
        const run = scheduled(c, ctx.name);
        for (let i = 1; i <= half; i++) {
          run.opt.step();
          run.scheduler.step(stepArgument(c, i - 1));
        }
        const fresh = scheduled(c, ctx.name);
        fresh.opt.loadStateDict(run.opt.stateDict());
        fresh.scheduler.loadStateDict(run.scheduler.stateDict());
        expectNumbers(fresh.scheduler.getLastLr(), c.lrs[half]!, scheduleTol, 'lr after loading');
        checkSchedule(c, fresh.opt, fresh.scheduler, half + 1);
        for (const p of [...run.params, ...fresh.params]) p.dispose();
      });
    }
  });
}

function schedulerErrorSuite(ctx: SuiteContext): void {
  describe('optim: scheduler errors', () => {
    const sgd = (device: string): flint.optim.SGD => new optim.SGD([flint.zeros([1], { requiresGrad: true, device })], { lr: 0.1, momentum: 0.9 });
    const cases: Array<[string, (opt: flint.optim.SGD) => unknown, string]> = [
      ['OneCycleLR stepped past totalSteps', (opt) => {
        const s = new lrScheduler.OneCycleLR(opt, { maxLr: 1, totalSteps: 2 });
        for (let i = 0; i < 3; i++) s.step();
      }, 'OneCycleLR(): Tried to step 4 times. The specified number of total steps is 2'],
      ['OneCycleLR without a length', (opt) => new lrScheduler.OneCycleLR(opt, { maxLr: 1 }), 'OneCycleLR(): You must define either totalSteps OR (epochs AND stepsPerEpoch)'],
      ['LinearLR startFactor above 1', (opt) => new lrScheduler.LinearLR(opt, { startFactor: 2 }), 'LinearLR(): Starting multiplicative factor expected to be between 0 and 1.'],
      ['LambdaLR with too many functions', (opt) => new lrScheduler.LambdaLR(opt, { lrLambda: [() => 1, () => 1] }), 'LambdaLR(): Expected 1 lrLambdas, but got 2'],
      ['SequentialLR milestone count', (opt) => new lrScheduler.SequentialLR(opt, { schedulers: [new lrScheduler.StepLR(opt, { stepSize: 1 })], milestones: [3] }), 'SequentialLR(): Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points'],
      ['ReduceLROnPlateau factor of 1', (opt) => new lrScheduler.ReduceLROnPlateau(opt, { factor: 1 }), 'ReduceLROnPlateau(): Factor should be < 1.0.'],
      ['resuming without initialLr', (opt) => new lrScheduler.ExponentialLR(opt, { gamma: 0.9, lastEpoch: 3 }), "LRScheduler(): param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer"],
    ];
    for (const [what, make, message] of cases) {
      it(what, () =>
        flint.tidy(() => {
          expect(() => make(sgd(ctx.name))).toThrow(message);
        }),
      );
    }
  });
}

export function optimSuite(ctx: SuiteContext): void {
  trajectorySuite(ctx, 'optim');
  behaviourSuite(ctx);
  scheduleSuite(ctx, 'optim');
  schedulerErrorSuite(ctx);
}
