/**
 * flint.optim.LBFGS against torch.optim.LBFGS (fixtures/lbfgs/trajectories.json, made by
 * scripts/lbfgs_cases.py): several step(closure) calls on two problems, with a fixed step and with
 * the strong-Wolfe line search, checking the returned loss, the parameters and the state's counters
 * after each; stepSync, state-dict round trips, flat memory and errors.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, expectClose, expectNoGrowth, readsSynchronously, type Encoded } from '../helpers.ts';
import type { Tolerance } from '../tolerances.ts';
import type { SuiteContext } from '../context.ts';

const { LBFGS } = flint.optim;

/** Fixed steps: float32 rounding of the dot products compounds through the history. */
const trajectoryTol: Tolerance = { rtol: 1e-5, atol: 1e-6 };
/**
 * The line search follows Rosenbrock's valley, where torch's own path moves by up to 4e-5
 * (relative) when its start moves by 1e-7 (see scripts/lbfgs_cases.py).
 */
const lineSearchTol: Tolerance = { rtol: 1e-4, atol: 1e-5 };

interface Step {
  loss: number;
  params: Encoded[];
  funcEvals: number;
  nIter: number;
  /** How many updates the history holds. */
  history: number;
}

interface Case {
  name: string;
  problem: 'rosenbrock' | 'regression';
  options: Partial<flint.optim.LBFGSOptions>;
  steps: Step[];
}

interface Problem {
  params: Encoded[];
  data: Record<string, Encoded>;
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/lbfgs/trajectories.json', import.meta.url)), 'utf8')) as {
  problems: Record<Case['problem'], Problem>;
  cases: Case[];
};

/** The losses of lbfgs_cases.py: Rosenbrock's function of every parameter value, or a mean squared error. */
function lossOf(problem: Case['problem'], params: flint.Tensor[], data: Record<string, flint.Tensor>): flint.Tensor {
  if (problem === 'rosenbrock') {
    const x = flint.cat(params.map((p) => p.reshape([-1])));
    const n = x.shape[0]!;
    const head = x.narrow(0, 0, n - 1);
    return x.narrow(0, 1, n - 1).sub(head.square()).square().mul(100).add(head.neg().add(1).square()).sum();
  }
  const [W, b] = params;
  return data.x!.matmul(W!.transpose(0, 1)).add(b!).sub(data.y!).square().mean();
}

function held(device: string): { tensors: number; bytes: number; buffers: number } {
  const m = flint.memory();
  return { tensors: m.tensors, bytes: m.bytes, buffers: m.backends[device]?.buffers ?? 0 };
}

/** A problem's starting parameters and data on `device`, and the closure LBFGS re-evaluates. */
class Run {
  readonly params: flint.Tensor[];
  readonly data: Record<string, flint.Tensor>;
  opt: flint.optim.LBFGS;

  constructor(readonly c: Case, device: string, params?: flint.Tensor[]) {
    const problem = fixtures.problems[c.problem];
    this.params = params ?? problem.params.map((e) => flint.keep(flint.tidy(() => decode(e, device).clone()).requiresGrad_()));
    this.data = Object.fromEntries(Object.entries(problem.data).map(([k, e]) => [k, flint.keep(flint.tidy(() => decode(e, device).clone()))]));
    this.opt = new LBFGS(this.params, c.options);
  }

  readonly closure = (): flint.Tensor => {
    this.opt.zeroGrad();
    const loss = flint.tidy(() => lossOf(this.c.problem, this.params, this.data));
    loss.backward();
    return loss;
  };

  /** Steps `first` to `last` (exclusive) of the fixture, checking each; `sync` uses stepSync. */
  async follow(first: number, last: number, sync = false): Promise<void> {
    const tol = this.c.options.lineSearchFn === 'strong_wolfe' ? lineSearchTol : trajectoryTol;
    for (let i = first; i < last; i++) {
      const want = this.c.steps[i]!;
      const loss = sync ? this.opt.stepSync(this.closure) : await this.opt.step(this.closure);
      const label = `${this.c.name}, step ${i + 1}`;
      await expectClose(loss, { shape: [], data: [want.loss] }, tol, `${label}: loss`);
      loss.dispose();
      for (const [k, p] of this.params.entries()) await expectClose(p, want.params[k]!, tol, `${label}: parameter ${k}`);
      const state = this.opt.state.get(this.params[0]!)!;
      expect([state.funcEvals, state.nIter, state.oldDirs?.length ?? 0], `${label}: funcEvals, nIter, history`).toEqual([want.funcEvals, want.nIter, want.history]);
    }
  }

  dispose(): void {
    this.opt.dispose();
    for (const t of [...this.params, ...Object.values(this.data)]) t.dispose();
  }
}

function trajectorySuite(ctx: SuiteContext): void {
  describe('lbfgs: trajectories match torch.optim.LBFGS', () => {
    for (const c of fixtures.cases) {
      it(c.name, async () => {
        const before = held(ctx.name);
        const run = new Run(c, ctx.name);
        await run.follow(0, c.steps.length);
        run.dispose();
        expectNoGrowth(held(ctx.name), before, 'memory held after training and disposing');
      });

      it(`${c.name}: continues identically after loadStateDict into a fresh optimizer`, async () => {
        const half = Math.floor(c.steps.length / 2);
        const run = new Run(c, ctx.name);
        await run.follow(0, half);
        const copies = run.params.map((p) => flint.keep(flint.tidy(() => p.detach().clone()).requiresGrad_()));
        const resumed = new Run(c, ctx.name, copies);
        resumed.opt.loadStateDict(run.opt.stateDict());
        // The loaded state must be a copy: the original's is freed before training continues.
        run.dispose();
        await resumed.follow(half, c.steps.length);
        resumed.dispose();
      });
    }

    it('stepSync follows the same trajectory where the backend reads synchronously, and otherwise names step()', async () => {
      const c = fixtures.cases.find((k) => k.options.lineSearchFn === 'strong_wolfe')!;
      const run = new Run(c, ctx.name);
      if (readsSynchronously(run.params[0]!)) await run.follow(0, c.steps.length, true);
      else expect(() => run.opt.stepSync(run.closure)).toThrow(`LBFGS.stepSync(): the ${ctx.name} backend cannot read synchronously; use \`await optimizer.step(closure)\` instead`);
      run.dispose();
    });
  });
}

function behaviourSuite(ctx: SuiteContext): void {
  const rosenbrock = fixtures.cases.find((c) => c.problem === 'rosenbrock')!;
  const param = (values: number[]): flint.Tensor => flint.tensor(values, { dtype: 'float32', requiresGrad: true, device: ctx.name });

  describe('lbfgs: state, memory and errors', () => {
    it("stateDict holds torch's state (camelCase) on the first parameter, and torch's defaults", async () => {
      const run = new Run({ ...rosenbrock, options: {} }, ctx.name);
      (await run.opt.step(run.closure)).dispose();
      const sd = run.opt.stateDict();
      expect(Object.keys(sd.state)).toEqual(['0']);
      expect(Object.keys(sd.state[0]!).sort()).toEqual(['d', 'funcEvals', 'hDiag', 'nIter', 'oldDirs', 'oldStps', 'prevFlatGrad', 'prevLoss', 'ro', 't']);
      expect(sd.param_groups).toEqual([{ params: [0, 1], lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null }]);
      const history = sd.state[0]!.oldDirs as flint.Tensor[];
      expect(history.length, 'one update per iteration after the first').toBe((sd.state[0]!.nIter as number) - 1);
      // The snapshot's lists are its own: a further step does not change them.
      (await run.opt.step(run.closure)).dispose();
      expect((sd.state[0]!.oldDirs as flint.Tensor[]).length).toBe(history.length);
      run.dispose();
    });

    it('maxEval defaults to floor(maxIter * 5 / 4)', () => {
      const w = param([1]);
      expect(new LBFGS([w], { maxIter: 7 }).paramGroups[0]!.maxEval).toBe(8);
      w.dispose();
    });

    it('memory stays flat over 30 steps once the history is full, and dispose() frees the state', async () => {
      const start = held(ctx.name);
      const run = new Run({ ...rosenbrock, options: { lr: 0.01, maxIter: 3, historySize: 2 } }, ctx.name);
      const stepOnce = async (): Promise<void> => (await run.opt.step(run.closure)).dispose();
      await stepOnce();
      await stepOnce();
      const warm = held(ctx.name);
      for (let i = 0; i < 30; i++) await stepOnce();
      // No growth rather than equality: the collector may free an earlier test's dropped tensors meanwhile.
      expectNoGrowth(held(ctx.name), warm, 'memory held after 30 more steps');
      run.dispose();
      expectNoGrowth(held(ctx.name), start, 'memory held after dispose()');
    });

    it('a closure that throws leaves a usable state', async () => {
      const run = new Run({ ...rosenbrock, options: { lr: 0.01, maxIter: 4 } }, ctx.name);
      (await run.opt.step(run.closure)).dispose();
      let calls = 0;
      const failing = (): flint.Tensor => {
        if (++calls === 3) throw new Error('data went missing');
        return run.closure();
      };
      await expect(run.opt.step(failing)).rejects.toThrow('data went missing');
      (await run.opt.step(run.closure)).dispose();
      const state = run.opt.state.get(run.params[0]!)!;
      await expect(state.d!.data()).resolves.toBeDefined();
      run.dispose();
    });

    const errors: Array<[string, (w: flint.Tensor) => unknown, string]> = [
      ['two parameter groups', (w) => new LBFGS([{ params: [w] }, { params: [param([2])] }]), "LBFGS(): LBFGS doesn't support per-parameter options (parameter groups)"],
      ['addParamGroup', (w) => new LBFGS([w]).addParamGroup({ params: [param([2])] }), "LBFGS(): LBFGS doesn't support per-parameter options (parameter groups)"],
      ['an unknown line search', (w) => new LBFGS([w], { lineSearchFn: 'backtracking' as 'strong_wolfe' }), "LBFGS(): only 'strong_wolfe' is supported"],
      ['a negative lr', (w) => new LBFGS([w], { lr: -1 }), 'LBFGS(): Invalid learning rate: -1'],
      ['a zero historySize', (w) => new LBFGS([w], { historySize: 0 }), 'LBFGS(): Invalid historySize value: 0'],
      ['stepSync without a closure', (w) => new LBFGS([w]).stepSync(undefined as unknown as () => flint.Tensor), 'LBFGS.stepSync(): LBFGS needs a closure that reevaluates the model and returns the loss'],
      ['stepSync with an async closure', (w) => new LBFGS([w]).stepSync((async () => w.sum()) as unknown as () => flint.Tensor), 'LBFGS.stepSync(): the closure must return the loss Tensor, but got a Promise'],
    ];
    for (const [what, make, message] of errors) {
      it(`errors: ${what}`, () => flint.tidy(() => expect(() => make(param([1, 2]))).toThrow(message)));
    }

    const reference = ctx.reference;
    if (reference && reference !== ctx.name) {
      it('errors: parameters on two devices', () => {
        const other = flint.tensor([1], { dtype: 'float32', requiresGrad: true, device: reference });
        flint.tidy(() => expect(() => new LBFGS([param([1]), other])).toThrow(`LBFGS(): all parameters must be on one device, but found ${ctx.name} and ${reference}`));
        other.dispose();
      });
    }

    it('errors: step rejects a closure that returns no Tensor', async () => {
      const w = param([1, 2]);
      await expect(new LBFGS([w]).step(() => 3 as unknown as flint.Tensor)).rejects.toThrow('LBFGS.step(): the closure must return the loss Tensor, but got number');
      w.dispose();
    });
  });
}

export function lbfgsSuite(ctx: SuiteContext): void {
  trajectorySuite(ctx);
  behaviourSuite(ctx);
}
