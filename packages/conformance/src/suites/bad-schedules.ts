/**
 * Optimizer and LR-scheduler arguments are checked as PyTorch checks them (required options,
 * ranges, finite numbers), before anything changes: a scheduler that fails to build leaves the
 * optimizer's groups as they were, and a bad state dict loads nothing.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectError, type ErrorClass } from '../helpers.ts';

const { optim } = flint;
const { lrScheduler: S } = optim;

type Case = [what: string, make: (opt: flint.optim.SGD) => unknown, error: ErrorClass, message: string];

// Lets a test pass what the types forbid, as plain JavaScript callers can.
const bad = <T>(value: unknown): T => value as T;
const unknown = (op: string, key: string, suggestion: string): string => `${op}(): unknown option '${key}'; did you mean '${suggestion}'?`;

/** Two parameter groups, so that per-group options and lists are checked against the count. */
function sgd(): flint.optim.SGD {
  const [a, b] = [flint.zeros([2]).requiresGrad_(), flint.zeros([3]).requiresGrad_()];
  return new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
}

/** The groups' options (params excluded), to compare before and after a failed call. */
const groupOptions = (opt: flint.optim.Optimizer): string => JSON.stringify(opt.paramGroups.map(({ params: _params, ...rest }) => rest));

const optimizerValues: Array<[string, (p: flint.Tensor[]) => unknown, ErrorClass, string]> = [
  ['SGD with a negative lr', (p) => new optim.SGD(p, { lr: -1 }), RangeError, 'SGD(): Invalid learning rate: -1'],
  ['SGD with a NaN lr', (p) => new optim.SGD(p, { lr: NaN }), RangeError, 'SGD(): Invalid learning rate: NaN'],
  ['SGD with an infinite lr', (p) => new optim.SGD(p, { lr: Infinity }), RangeError, 'SGD(): Invalid learning rate: Infinity'],
  ['SGD without lr', (p) => new optim.SGD(p, bad({})), RangeError, 'SGD(): Invalid learning rate: undefined'],
  ['SGD with a negative momentum', (p) => new optim.SGD(p, { lr: 0.1, momentum: -0.5 }), RangeError, 'SGD(): Invalid momentum value: -0.5'],
  ['SGD with a NaN momentum', (p) => new optim.SGD(p, { lr: 0.1, momentum: NaN }), RangeError, 'SGD(): Invalid momentum value: NaN'],
  ['SGD with a negative weightDecay', (p) => new optim.SGD(p, { lr: 0.1, weightDecay: -1 }), RangeError, 'SGD(): Invalid weightDecay value: -1'],
  ['SGD with nesterov and no momentum', (p) => new optim.SGD(p, { lr: 0.1, nesterov: true }), RangeError, 'SGD(): Nesterov momentum requires a momentum and zero dampening'],
  ['SGD with nesterov and dampening', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), RangeError, 'SGD(): Nesterov momentum requires a momentum and zero dampening'],
  ['SGD with a string for nesterov', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: bad('yes') }), TypeError, 'SGD(): nesterov must be a boolean (got string)'],
  ['Adam with beta1 of 1', (p) => new optim.Adam(p, { betas: [1, 0.999] }), RangeError, 'Adam(): Invalid beta parameter at index 0: 1'],
  ['Adam with a negative beta2', (p) => new optim.Adam(p, { betas: [0.9, -0.1] }), RangeError, 'Adam(): Invalid beta parameter at index 1: -0.1'],
  ['Adam with one beta', (p) => new optim.Adam(p, { betas: bad([0.9]) }), RangeError, 'Adam(): Invalid betas value: 0.9 (expected 2 finite numbers)'],
  ['Adam with a negative eps', (p) => new optim.Adam(p, { eps: -1e-8 }), RangeError, 'Adam(): Invalid epsilon value: -1e-8'],
  ['AdamW with a NaN weightDecay', (p) => new optim.AdamW(p, { weightDecay: NaN }), RangeError, 'AdamW(): Invalid weightDecay value: NaN'],
  ['RMSprop with a negative alpha', (p) => new optim.RMSprop(p, { alpha: -0.1 }), RangeError, 'RMSprop(): Invalid alpha value: -0.1'],
  ['Adadelta with rho above 1', (p) => new optim.Adadelta(p, { rho: 1.5 }), RangeError, 'Adadelta(): Invalid rho value: 1.5'],
  ['Rprop with etaplus below 1', (p) => new optim.Rprop(p, { etas: [0.5, 0.9] }), RangeError, 'Rprop(): Invalid eta values: 0.5, 0.9'],
  ['LBFGS with a fractional maxIter', (p) => new optim.LBFGS(p, { maxIter: 2.5 }), RangeError, 'LBFGS(): Invalid maxIter value: 2.5'],
  ['a param group with a negative lr', (p) => new optim.SGD([{ params: p, lr: -0.1 }], { lr: 0.1 }), RangeError, 'SGD(): Invalid learning rate: -0.1'],
];

const schedulers: Case[] = [
  ['StepLR without stepSize', (o) => new S.StepLR(o, bad({})), TypeError, "StepLR(): missing required option 'stepSize'"],
  ['StepLR with stepSize 0', (o) => new S.StepLR(o, { stepSize: 0 }), RangeError, 'StepLR(): Expected positive integer stepSize, but got 0'],
  ['StepLR with a fractional stepSize', (o) => new S.StepLR(o, { stepSize: 1.5 }), RangeError, 'StepLR(): Expected positive integer stepSize, but got 1.5'],
  ['StepLR with a NaN gamma', (o) => new S.StepLR(o, { stepSize: 2, gamma: NaN }), RangeError, 'StepLR(): Expected a finite number gamma, but got NaN'],
  ['StepLR with step_size', (o) => new S.StepLR(o, bad({ step_size: 2 })), TypeError, unknown('StepLR', 'step_size', 'stepSize')],
  ['StepLR with lastEpoch 1.5', (o) => new S.StepLR(o, { stepSize: 2, lastEpoch: 1.5 }), RangeError, 'StepLR(): lastEpoch must be an integer >= -1, but got 1.5'],
  ['StepLR on something that is not an optimizer', () => new S.StepLR(bad({ paramGroups: [] }), { stepSize: 2 }), TypeError, 'StepLR(): Object is not an Optimizer'],
  ['MultiStepLR with decreasing milestones', (o) => new S.MultiStepLR(o, { milestones: [3, 1] }), RangeError, 'MultiStepLR(): milestones should be a list of non-decreasing non-negative integers, but got [3,1]'],
  ['MultiStepLR without milestones', (o) => new S.MultiStepLR(o, bad({ gamma: 0.5 })), TypeError, "MultiStepLR(): missing required option 'milestones'"],
  ['ExponentialLR without gamma', (o) => new S.ExponentialLR(o, bad({})), TypeError, "ExponentialLR(): missing required option 'gamma'"],
  ['ExponentialLR with an infinite gamma', (o) => new S.ExponentialLR(o, { gamma: Infinity }), RangeError, 'ExponentialLR(): Expected a finite number gamma, but got Infinity'],
  ['CosineAnnealingLR without tMax', (o) => new S.CosineAnnealingLR(o, bad({})), TypeError, "CosineAnnealingLR(): missing required option 'tMax'"],
  ['CosineAnnealingLR with T_max', (o) => new S.CosineAnnealingLR(o, bad({ T_max: 10 })), TypeError, unknown('CosineAnnealingLR', 'T_max', 'tMax')],
  ['CosineAnnealingLR with tMax 0', (o) => new S.CosineAnnealingLR(o, { tMax: 0 }), RangeError, 'CosineAnnealingLR(): Expected positive integer tMax, but got 0'],
  ['CosineAnnealingLR with a NaN etaMin', (o) => new S.CosineAnnealingLR(o, { tMax: 5, etaMin: NaN }), RangeError, 'CosineAnnealingLR(): Expected a finite number etaMin, but got NaN'],
  ['LinearLR with totalIters 0', (o) => new S.LinearLR(o, { totalIters: 0 }), RangeError, 'LinearLR(): Expected positive integer totalIters, but got 0'],
  ['LinearLR with start_factor', (o) => new S.LinearLR(o, bad({ start_factor: 0.5 })), TypeError, unknown('LinearLR', 'start_factor', 'startFactor')],
  ['ConstantLR with a negative totalIters', (o) => new S.ConstantLR(o, { totalIters: -1 }), RangeError, 'ConstantLR(): Expected non-negative integer totalIters, but got -1'],
  ['PolynomialLR with a NaN power', (o) => new S.PolynomialLR(o, { power: NaN }), RangeError, 'PolynomialLR(): Expected a finite number power, but got NaN'],
  ['LambdaLR without lrLambda', (o) => new S.LambdaLR(o, bad({})), TypeError, "LambdaLR(): missing required option 'lrLambda'"],
  ['LambdaLR with a number for lrLambda', (o) => new S.LambdaLR(o, { lrLambda: bad(0.5) }), TypeError, 'LambdaLR(): lrLambda must be a function or a list of functions, one per group, but got number'],
  ['LambdaLR with one function for two groups', (o) => new S.LambdaLR(o, { lrLambda: [() => 1] }), RangeError, 'LambdaLR(): Expected 2 lrLambdas, but got 1'],
  ['MultiplicativeLR with lr_lambda', (o) => new S.MultiplicativeLR(o, bad({ lr_lambda: () => 1 })), TypeError, unknown('MultiplicativeLR', 'lr_lambda', 'lrLambda')],
  ['OneCycleLR without maxLr', (o) => new S.OneCycleLR(o, bad({ totalSteps: 10 })), TypeError, "OneCycleLR(): missing required option 'maxLr'"],
  ['OneCycleLR with totalSteps 0', (o) => new S.OneCycleLR(o, { maxLr: 1, totalSteps: 0 }), RangeError, 'OneCycleLR(): Expected positive integer totalSteps, but got 0'],
  ['OneCycleLR with epochs alone', (o) => new S.OneCycleLR(o, { maxLr: 1, epochs: 2 }), RangeError, 'OneCycleLR(): Expected positive integer stepsPerEpoch, but got undefined'],
  ['OneCycleLR with an unknown annealStrategy', (o) => new S.OneCycleLR(o, { maxLr: 1, totalSteps: 10, annealStrategy: bad('cosine') }), RangeError, "OneCycleLR(): annealStrategy must be one of 'cos' or 'linear', instead got cosine"],
  ['OneCycleLR with a NaN divFactor', (o) => new S.OneCycleLR(o, { maxLr: 1, totalSteps: 10, divFactor: NaN }), RangeError, 'OneCycleLR(): Expected a finite number divFactor, but got NaN'],
  ['CyclicLR without baseLr', (o) => new S.CyclicLR(o, bad({ maxLr: 1 })), TypeError, "CyclicLR(): missing required option 'baseLr'"],
  ['CyclicLR with an unknown mode', (o) => new S.CyclicLR(o, { baseLr: 0.1, maxLr: 1, mode: bad('sawtooth') }), RangeError, "CyclicLR(): mode is invalid and scaleFn is None (got sawtooth); expected one of 'triangular', 'triangular2', 'exp_range'"],
  ['CyclicLR with an unknown scaleMode', (o) => new S.CyclicLR(o, { baseLr: 0.1, maxLr: 1, scaleMode: bad('epoch') }), RangeError, "CyclicLR(): epoch is not a valid value for scaleMode; expected one of 'cycle', 'iterations'"],
  ['CyclicLR with stepSizeUp 0', (o) => new S.CyclicLR(o, { baseLr: 0.1, maxLr: 1, stepSizeUp: 0 }), RangeError, 'CyclicLR(): Expected positive integer stepSizeUp, but got 0'],
  ['CosineAnnealingWarmRestarts with T_0', (o) => new S.CosineAnnealingWarmRestarts(o, bad({ T_0: 5 })), TypeError, unknown('CosineAnnealingWarmRestarts', 'T_0', 't0')],
  ['ReduceLROnPlateau with an unknown mode', (o) => new S.ReduceLROnPlateau(o, { mode: bad('up') }), RangeError, "ReduceLROnPlateau(): mode up is unknown!; expected one of 'min', 'max'"],
  ['ReduceLROnPlateau with threshold_mode', (o) => new S.ReduceLROnPlateau(o, bad({ threshold_mode: 'abs' })), TypeError, unknown('ReduceLROnPlateau', 'threshold_mode', 'thresholdMode')],
  ['ReduceLROnPlateau with a negative patience', (o) => new S.ReduceLROnPlateau(o, { patience: -1 }), RangeError, 'ReduceLROnPlateau(): Expected non-negative integer patience, but got -1'],
  ['ChainedScheduler of something else', () => new S.ChainedScheduler(bad([{ step() {} }])), TypeError, 'ChainedScheduler(): expects a list of LRScheduler instances'],
];

export function badSchedulesSuite(_ctx: SuiteContext): void {
  describe('bad schedules: optimizer arguments', () => {
    for (const [what, make, error, message] of optimizerValues) {
      it(`${what} throws ${error.name}: ${message}`, () =>
        flint.tidy(() => {
          const params = [flint.zeros([2]).requiresGrad_()];
          expectError(() => make(params), error, message);
        }));
    }
  });

  describe('bad schedules: scheduler arguments', () => {
    for (const [what, make, error, message] of schedulers) {
      it(`${what} throws ${error.name} and leaves the groups as they were: ${message}`, () =>
        flint.tidy(() => {
          const opt = sgd();
          const before = groupOptions(opt);
          expectError(() => make(opt), error, message);
          expect(groupOptions(opt)).toBe(before);
          opt.dispose();
        }));
    }

    it('a scheduler whose per-group list is too short writes nothing to the groups, though the lists before it were good', () =>
      flint.tidy(() => {
        const opt = sgd();
        const before = groupOptions(opt);
        // baseLr and maxLr are good and would be written first; baseMomentum has one value for two groups.
        expect(() => new S.CyclicLR(opt, { baseLr: 0.01, maxLr: 1, baseMomentum: [0.8] })).toThrow('CyclicLR(): expected 2 values for baseMomentum, got 1');
        expect(() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, maxMomentum: [0.95] })).toThrow('OneCycleLR(): expected 2 values for maxMomentum, got 1');
        expect(groupOptions(opt)).toBe(before);
        opt.dispose();
      }));

    it('SequentialLR with a milestone of 0 throws before it rewinds its schedulers', () =>
      flint.tidy(() => {
        const opt = sgd();
        const parts = [new S.ConstantLR(opt), new S.ExponentialLR(opt, { gamma: 0.9 })];
        const before = [groupOptions(opt), ...parts.map((p) => JSON.stringify(p.stateDict()))];
        expect(() => new S.SequentialLR(opt, { schedulers: parts, milestones: [0] })).toThrow('SequentialLR(): milestones must be increasing positive integers, but got [0]');
        expect([groupOptions(opt), ...parts.map((p) => JSON.stringify(p.stateDict()))]).toEqual(before);
        opt.dispose();
      }));
  });

  describe('bad schedules: loadStateDict changes nothing when it throws', () => {
    const corruptions: Array<[string, (s: flint.optim.OptimizerStateDict) => unknown]> = [
      ['a group with a misspelt option', (s) => ({ ...s, param_groups: [s.param_groups[0], { ...s.param_groups[1], momentun: 0.5 }] })],
      ['a group with a negative lr', (s) => ({ ...s, param_groups: [s.param_groups[0], { ...s.param_groups[1], lr: -1 }] })],
      ['a group with a NaN momentum', (s) => ({ ...s, param_groups: [{ ...s.param_groups[0], momentum: NaN }, s.param_groups[1]] })],
      ['a group without params', (s) => ({ ...s, param_groups: [s.param_groups[0], { lr: 0.1 }] })],
      ['no state', (s) => ({ param_groups: s.param_groups })],
      ['not an object', () => 42],
    ];
    const messages = [
      unknown('SGD.loadStateDict', 'momentun', 'momentum'), 'SGD(): Invalid learning rate: -1', 'SGD(): Invalid momentum value: NaN',
      "SGD.loadStateDict(): every parameter group must list its params' indices",
      "SGD.loadStateDict(): expected a state dict with 'state' and 'param_groups'", "SGD.loadStateDict(): expected a state dict with 'state' and 'param_groups'",
    ];
    corruptions.forEach(([what, corrupt], i) => {
      it(`Optimizer.loadStateDict with ${what} keeps the state and the groups bit for bit`, async () => {
        const opt = sgd();
        const [a, b] = opt.paramGroups.map((g) => g.params[0]!);
        a!.grad = flint.ones([2]);
        b!.grad = flint.ones([3]);
        opt.step();
        const buffers = () => [...opt.state.values()].map((s) => s.momentumBuffer!);
        const before = { groups: groupOptions(opt), buffers: await Promise.all(buffers().map(async (t) => Array.from(await t.data()))) };
        // A good state dict with other values, corrupted in one place.
        const saved = opt.stateDict();
        const other = { ...saved, param_groups: saved.param_groups.map((g) => ({ ...g, lr: 0.01 })) };
        expect(() => opt.loadStateDict(bad(corrupt(other)))).toThrow(messages[i]!);
        expect(groupOptions(opt)).toBe(before.groups);
        expect(await Promise.all(buffers().map(async (t) => Array.from(await t.data())))).toEqual(before.buffers);
        expect(buffers().every((t) => !t.isDisposed)).toBe(true);
        opt.zeroGrad();
        opt.dispose();
        for (const p of [a!, b!]) p.dispose();
      });
    });

    const schedulerCases: Array<[string, (o: flint.optim.SGD) => { stateDict(): unknown; loadStateDict(s: never): void }, (s: Record<string, unknown>) => unknown, string]> = [
      ['StepLR, lastEpoch missing', (o) => new S.StepLR(o, { stepSize: 2 }), ({ lastEpoch: _l, ...s }) => s, "StepLR.loadStateDict(): state dict entry 'lastEpoch' must be an integer, but got undefined"],
      ['StepLR, one baseLr for two groups', (o) => new S.StepLR(o, { stepSize: 2 }), (s) => ({ ...s, baseLrs: [0.1] }), "StepLR.loadStateDict(): state dict entry 'baseLrs' must list 2 numbers (one per parameter group), but got 0.1"],
      ['CosineAnnealingWarmRestarts, tCur beyond tI', (o) => new S.CosineAnnealingWarmRestarts(o, { t0: 3 }), (s) => ({ ...s, tCur: 5 }), "CosineAnnealingWarmRestarts.loadStateDict(): state dict entries 'tCur' and 'tI' must satisfy 0 <= tCur < tI (an integer period), but got tCur=5, tI=3"],
      ['ReduceLROnPlateau, best NaN', (o) => new S.ReduceLROnPlateau(o), (s) => ({ ...s, best: NaN }), "ReduceLROnPlateau.loadStateDict(): state dict entry 'best' must be a number, but got NaN"],
      [
        'SequentialLR, its second scheduler state broken',
        (o) => new S.SequentialLR(o, { schedulers: [new S.ConstantLR(o), new S.ExponentialLR(o, { gamma: 0.9 })], milestones: [2] }),
        (s) => ({ ...s, lastEpoch: 7, schedulers: [{ ...(s.schedulers as object[])[0], lastEpoch: 7 }, { lastEpoch: 'x' }] }),
        "ExponentialLR.loadStateDict(): state dict entry 'lastEpoch' must be an integer, but got x",
      ],
      ['ChainedScheduler, lastLr missing', (o) => new S.ChainedScheduler([new S.ConstantLR(o)]), ({ lastLr: _l, ...s }) => s, "ChainedScheduler.loadStateDict(): state dict entry 'lastLr' must list 2 numbers (one per parameter group), but got undefined"],
    ];
    for (const [what, make, corrupt, message] of schedulerCases) {
      it(`scheduler loadStateDict with ${what} throws and loads nothing`, () =>
        flint.tidy(() => {
          const opt = sgd();
          const scheduler = make(opt);
          const before = JSON.stringify(scheduler.stateDict());
          expect(() => scheduler.loadStateDict(bad(corrupt(JSON.parse(before) as Record<string, unknown>)))).toThrow(message);
          expect(JSON.stringify(scheduler.stateDict())).toBe(before);
          opt.dispose();
        }));
    }
  });
}
