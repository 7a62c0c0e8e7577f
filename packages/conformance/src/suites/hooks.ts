/**
 * Hooks and weight reparametrizations against PyTorch 1.13 (fixtures/hooks/hooks.json, made by
 * scripts/hooks_cases.py, whose programs each `it` repeats under the fixture case's name): tensor
 * gradient hooks, module forward pre-hooks, forward hooks and full backward hooks, weight norm and
 * spectral norm (values, gradients, power iteration, eval mode, state-dict keys); then memory over
 * training steps, and bad arguments rejected with PyTorch's messages.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SuiteContext } from '../context.ts';
import { decode, tidyChecks, type Checks, type Encoded } from '../helpers.ts';
import { gradientTolerance } from '../tolerances.ts';
import { expectThrowsClean } from './errors.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
type Case = Record<string, Encoded | Encoded[] | string[] | number | null>;

function loadCases(): Record<string, Case> {
  const file = fileURLToPath(new URL('../../fixtures/hooks/hooks.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: Record<string, Case> }).cases;
}

const elementwise = gradientTolerance('tanh');
const layers = gradientTolerance('Conv2dModule');

/** Sets a module's tensors from the fixture without autograd. */
function setParams(module: flint.nn.Module, values: Record<string, Tensor>): void {
  flint.noGrad(() => {
    for (const [name, v] of Object.entries(values)) (module as unknown as Record<string, Tensor>)[name]!.copy_(v);
  });
}

/** Training steps in tidy with SGD; asserts the live tensor count is the same after the last step as after the first. */
function expectFlatSteps(module: flint.nn.Module, input: () => Tensor[]): void {
  const opt = new flint.optim.SGD(module.parameters(), { lr: 0.01 });
  const step = (): void =>
    flint.tidy(() => {
      opt.zeroGrad();
      const out = (module.forward as (...a: Tensor[]) => Tensor)(...input());
      out.square().sum().backward();
      opt.step();
    });
  step();
  const after1 = flint.memory().tensors;
  for (let i = 0; i < 20; i++) step();
  expect(flint.memory().tensors).toBe(after1);
  opt.zeroGrad();
}

export function hooksSuite(ctx: SuiteContext): void {
  const cases = loadCases();
  const device = ctx.name;
  /** The fixture case `name` with its tensors decoded on the backend, inside a tidyChecks scope. */
  const withCase = (name: string, fn: (t: (key: string) => Tensor, c: Case, check: Checks, want: (key: string) => Encoded) => void) =>
    it(name, () =>
      tidyChecks((check) => {
        const c = cases[name];
        if (!c) throw new Error(`no fixture case '${name}' in hooks.json`);
        fn((key) => decode(c[key] as Encoded, device), c, check, (key) => c[key] as Encoded);
      }));
  const leaf = (t: Tensor): Tensor => t.clone().requiresGrad_();

  describe('hooks: tensor gradient hooks', () => {
    withCase('leaf hook scales the gradient before accumulation', (t, _c, check, want) => {
      const x = leaf(t('x'));
      x.registerHook((g) => g.mul(3));
      x.mul(x).mul(t('w')).sum().backward();
      check.close(x.grad!, want('grad'), elementwise);
    });

    withCase('non-leaf hook changes the gradient that flows on', (t, _c, check, want) => {
      const x = leaf(t('x'));
      const z = x.tanh();
      z.registerHook((g) => g.mul(g));
      z.mul(t('w')).sum().backward();
      check.close(x.grad!, want('grad'), elementwise);
    });

    withCase('several hooks run in registration order', (t, _c, check, want) => {
      const x = leaf(t('x'));
      x.registerHook((g) => g.mul(2));
      x.registerHook((g) => g.add(1));
      const z = x.mul(x);
      z.registerHook((g) => g.sub(0.5));
      z.registerHook((g) => g.mul(g));
      z.mul(t('w')).sum().backward();
      check.close(x.grad!, want('grad'), elementwise);
    });

    withCase('a removed hook no longer runs', (t, _c, check, want) => {
      const x = leaf(t('x'));
      const h = x.registerHook((g) => g.mul(100));
      x.registerHook((g) => g.neg());
      h.remove();
      h.remove();
      x.exp().mul(t('w')).sum().backward();
      check.close(x.grad!, want('grad'), elementwise);
    });

    withCase('a leaf used twice: its hook sees the summed gradient once', (t, _c, check, want) => {
      const x = leaf(t('x'));
      let calls = 0;
      x.registerHook((g) => {
        calls++;
        return g.mul(g);
      });
      x.mul(t('w')).sum().add(x.mul(x).sum()).backward();
      expect(calls).toBe(1);
      check.close(x.grad!, want('grad'), elementwise);
    });

    withCase('a retained grad sees the hooks', (t, _c, check, want) => {
      const x = leaf(t('x'));
      const z = x.sin();
      z.registerHook((g) => g.mul(10));
      z.retainGrad();
      z.registerHook((g) => g.add(1));
      z.mul(t('w')).sum().backward();
      check.close(x.grad!, want('grad'), elementwise);
      check.close(z.grad!, want('retained'), elementwise);
    });

    it('a hook sees the gradient of the values it was registered on when the tensor is later written in place', () =>
      tidyChecks((check) => {
        // torch 1.13: a = x * 1; a.register_hook(h); a.mul_(2); (a * [1, 2, 3]).sum().backward()
        // h sees [2, 4, 6] (the gradient of a's old values); x.grad = [2, 4, 6].
        const x = flint.tensor([1, 2, 3], { dtype: 'float32', device, requiresGrad: true });
        const a = x.mul(1);
        const seen: Tensor[] = [];
        a.registerHook((g) => void seen.push(flint.keep(g.clone())));
        a.mul_(2);
        a.mul(flint.tensor([1, 2, 3], { dtype: 'float32', device })).sum().backward();
        expect(seen).toHaveLength(1);
        check.list(seen[0]!, [2, 4, 6]);
        check.list(x.grad!, [2, 4, 6]);
        seen[0]!.dispose();
      }));

    it('a hook on a base sees the write into its view; one on a view whose base is rewritten does not run (as PyTorch)', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], { dtype: 'float32', device, requiresGrad: true });
        const w = flint.tensor([1, 2, 3], { dtype: 'float32', device });
        // torch 1.13: b = x * 1; b.register_hook(h); b[1:].mul_(2); (b * w).sum().backward(): h sees [1, 4, 6].
        const b = x.mul(1);
        const seen: Tensor[] = [];
        b.registerHook((g) => void seen.push(flint.keep(g.clone())));
        b.narrow(0, 1, 2).mul_(2);
        b.mul(w).sum().backward();
        check.list(seen[0]!, [1, 4, 6]);
        // torch 1.13: c = x * 1; v = c[1:]; v.register_hook(h); c.mul_(2); (c * w).sum().backward(): h never runs.
        const c = x.mul(1);
        const v = c.narrow(0, 1, 2);
        let viewCalls = 0;
        v.registerHook(() => void viewCalls++);
        c.mul_(2);
        c.mul(w).sum().backward();
        expect(viewCalls).toBe(0);
        for (const s of seen) s.dispose();
      }));

    it('autograd.grad runs the hooks it passes through, not those of its inputs (PyTorch 1.13)', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], { dtype: 'float32', device, requiresGrad: true });
        x.registerHook((g) => g.mul(10));
        const z = x.mul(2);
        z.registerHook((g) => g.mul(10));
        // torch: grad((z*z).sum(), z) = 2z = [4, 8, 12]; grad((z*z).sum(), x) = 2 * 10 * 2z = [80, 160, 240].
        check.list(flint.autograd.grad(z.mul(z).sum(), z, { retainGraph: true })[0]!, [4, 8, 12]);
        check.list(flint.autograd.grad(z.mul(z).sum(), x)[0]!, [80, 160, 240]);
      }));

    it('rejects tensors without grad and hooks that change the shape, with PyTorch\'s messages', () => {
      flint.tidy(() => {
        const plain = flint.tensor([1, 2], { dtype: 'float32', device });
        expectThrowsClean(() => plain.registerHook((g) => g), /^cannot register a hook on a tensor that doesn't require gradient$/);
        const x = flint.tensor([1, 2], { dtype: 'float32', device, requiresGrad: true });
        x.registerHook(function halve(g) {
          return g.narrow(0, 0, 1);
        });
        expect(() => x.mul(2).sum().backward()).toThrow(/^hook 'halve' has changed the size of value$/);
        expect(x.grad).toBeNull();
      });
    });
  });

  describe('hooks: module hooks', () => {
    const linear = (t: (key: string) => Tensor): flint.nn.Linear => {
      const m = new nn.Linear(3, 2);
      setParams(m, { weight: t('weight'), bias: t('bias') });
      return m;
    };

    withCase('forward pre-hook replaces the arguments', (t, _c, check, want) => {
      const m = linear(t);
      m.registerForwardPreHook((_m, args) => (args[0] as Tensor).mul(2));
      const out = m.forward(t('x'));
      out.mul(out).sum().backward();
      check.close(out, want('out'), layers);
      check.close(m.weight.grad!, want('weightGrad'), layers);
      m.dispose();
    });

    withCase('forward hook replaces the output', (t, _c, check, want) => {
      const m = linear(t);
      const seq = new nn.Sequential(m);
      // Hooks run whenever the module is called, here by its container.
      m.registerForwardHook((_m, _args, out) => (out as Tensor).tanh());
      const out = seq.forward(t('x'));
      out.mul(out).sum().backward();
      check.close(out, want('out'), layers);
      check.close(m.weight.grad!, want('weightGrad'), layers);
      m.dispose();
    });

    withCase('full backward hook sees gradInput and gradOutput and replaces gradInput', (t, _c, check, want) => {
      const m = linear(t);
      const x = leaf(t('x'));
      let seen: [Array<Tensor | null>, Array<Tensor | null>] | null = null;
      m.registerFullBackwardHook((module, gi, go) => {
        expect(module).toBe(m);
        seen = [gi.map((g) => g && flint.keep(g.clone())), go.map((g) => g && flint.keep(g.clone()))];
        return [gi[0]!.mul(0.5)];
      });
      const out = m.call(x);
      out.mul(out).sum().backward();
      const [gi, go] = seen!;
      const wantIn = want('gradInput') as unknown as Encoded[];
      const wantOut = want('gradOutput') as unknown as Encoded[];
      expect([gi.length, go.length]).toEqual([wantIn.length, wantOut.length]);
      check.close(gi[0]!, wantIn[0]!, layers);
      check.close(go[0]!, wantOut[0]!, layers);
      check.close(x.grad!, want('xGrad'), layers);
      check.close(m.weight.grad!, want('weightGrad'), layers);
      for (const g of [...gi, ...go]) g?.dispose();
      m.dispose();
    });

    withCase('full backward hook over two inputs', (t, _c, check, want) => {
      const m = new nn.Bilinear(2, 3, 2);
      setParams(m, { weight: t('weight'), bias: t('bias') });
      const [x1, x2] = [leaf(t('x1')), leaf(t('x2'))];
      let seen: Tensor[] = [];
      m.registerFullBackwardHook((_m, gi, go) => {
        seen = [...gi, ...go].map((g) => flint.keep(g!.clone()));
        return [gi[0]!.mul(2), gi[1]!.neg()];
      });
      const out = m.forward(x1, x2);
      out.mul(out).sum().backward();
      const expected = [...(want('gradInput') as unknown as Encoded[]), ...(want('gradOutput') as unknown as Encoded[])];
      expect(seen).toHaveLength(expected.length);
      seen.forEach((g, i) => check.close(g, expected[i]!, layers, `hook argument ${i}`));
      check.close(x1.grad!, want('x1Grad'), layers);
      check.close(x2.grad!, want('x2Grad'), layers);
      for (const g of seen) g.dispose();
      m.dispose();
    });

    it('pass non-tensor arguments as null and tensors without grad as zeros; with no input requiring grad, run at the output', () =>
      tidyChecks((check) => {
        // torch 1.13, forward(x, y, k) = (x * y * k, x + y) with x requiring grad:
        // gradInput = ([14, 20], [0, 0], None), gradOutput = ([1, 1], [8, 12]).
        class Pair extends nn.Module {
          forward(x: Tensor, y: Tensor, k: number): [Tensor, Tensor] {
            return [x.mul(y).mul(k), x.add(y)];
          }
        }
        const m = new Pair();
        let seen: Array<Array<Tensor | null>> = [];
        m.registerFullBackwardHook((_m, gi, go) => void (seen = [gi, go].map((gs) => gs.map((g) => g && flint.keep(g.clone())))));
        const x = flint.tensor([1, 2], { dtype: 'float32', device, requiresGrad: true });
        const y = flint.tensor([3, 4], { dtype: 'float32', device });
        const [a, b] = m.forward(x, y, 2);
        a.sum().add(b.mul(b).sum()).backward();
        const [gi, go] = seen as [Array<Tensor | null>, Array<Tensor | null>];
        expect([gi.length, gi[2], go.length]).toEqual([3, null, 2]);
        check.lists([gi[0]!, gi[1]!, go[0]!, go[1]!], [[14, 20], [0, 0], [1, 1], [8, 12]]);
        check.list(x.grad!, [14, 20]);
        for (const g of [...gi, ...go]) g?.dispose();
        // torch 1.13: Linear on an input without grad calls the hook with gradInput (None,).
        const lin = new nn.Linear(2, 1);
        const calls: Array<Array<Tensor | null>> = [];
        lin.registerFullBackwardHook((_m, gi) => void calls.push(gi));
        lin.forward(flint.ones([1, 2], { device })).sum().backward();
        expect(calls).toEqual([[null]]);
        lin.dispose();
      }));

    it('removed hooks stop running; under noGrad the forward hooks run and no backward hook is recorded', () =>
      flint.tidy(() => {
        const m = new nn.Linear(2, 2);
        let pre = 0;
        let post = 0;
        let back = 0;
        const handles = [
          m.registerForwardPreHook(() => void pre++),
          m.registerForwardHook(() => void post++),
          m.registerFullBackwardHook(() => void back++),
        ];
        const x = flint.ones([1, 2], { device, requiresGrad: true });
        flint.noGrad(() => m.forward(x));
        expect([pre, post, back]).toEqual([1, 1, 0]);
        m.forward(x).sum().backward();
        expect([pre, post, back]).toEqual([2, 2, 1]);
        for (const h of handles) h.remove();
        const plain = m.forward(x);
        plain.sum().backward();
        expect([pre, post, back]).toEqual([2, 2, 1]);
        expect(plain.gradFn?.name).not.toBe('BackwardHookFunctionBackward');
        m.dispose();
      }));

    it('hooks run once per call through super.forward, through call(), and around an assigned forward', () =>
      tidyChecks((check) => {
        class Doubled extends nn.Linear {
          override forward(x: Tensor): Tensor {
            return super.forward(x).mul(2);
          }
        }
        const m = new Doubled(2, 1);
        setParams(m, { weight: flint.tensor([[1, 2]], { dtype: 'float32', device }), bias: flint.tensor([0.5], { dtype: 'float32', device }) });
        let calls = 0;
        m.registerForwardHook((_m, _args, out) => {
          calls++;
          return (out as Tensor).add(1);
        });
        const x = flint.tensor([[3, 4]], { dtype: 'float32', device });
        // (3 + 8 + 0.5) * 2 + 1
        check.list(m.forward(x), [[24]]);
        check.list(m.call(x), [[24]]);
        expect(calls).toBe(2);
        m.forward = (input: Tensor): Tensor => input.sum(1, true);
        check.list(m.forward(x), [[8]]);
        expect(calls).toBe(3);
        m.dispose();
      }));

    it('rejects backward hooks that return the wrong number of gradients, with PyTorch\'s messages', () =>
      flint.tidy(() => {
        const m = new nn.Linear(2, 1);
        const x = flint.ones([1, 2], { device, requiresGrad: true });
        const h = m.registerFullBackwardHook((_m, gi) => [gi[0]!, gi[0]!]);
        expect(() => m.forward(x).sum().backward()).toThrow(/^Backward hook returned an invalid number of grad_input, got 2, but expected 1$/);
        h.remove();
        m.registerFullBackwardHook((_m, _gi, go) => [go[0]!]);
        expect(() => m.forward(flint.ones([1, 2], { device })).sum().backward()).toThrow(
          /^Backward hook for Modules where no input requires gradient should always return None or None for all gradients\.$/,
        );
        m.dispose();
      }));
  });

  describe('hooks: weight norm', () => {
    for (const dim of [0, 1, null]) {
      withCase(`weight norm of Linear, dim ${dim === null ? 'None' : dim}`, (t, c, check, want) => {
        const m = new nn.Linear(3, 4);
        setParams(m, { weight: t('weight'), bias: t('bias') });
        nn.utils.weightNorm(m, { dim });
        expect([...m.stateDict().keys()]).toEqual(c.keys);
        expect(m.namedParameters().map(([n]) => n)).toEqual(['bias', 'weight_g', 'weight_v']);
        const p = m as unknown as Record<string, Tensor>;
        check.close(p.weight_g!, want('g'), layers);
        const out = m.forward(t('x'));
        out.mul(out).sum().backward();
        check.close(out, want('out'), layers);
        check.close(m.weight, want('recomputed'), layers);
        check.close(p.weight_g!.grad!, want('gGrad'), layers);
        check.close(p.weight_v!.grad!, want('vGrad'), layers);
        check.close(m.bias!.grad!, want('biasGrad'), layers);
        m.dispose();
      });
    }

    withCase('weight norm of Conv2d', (t, _c, check, want) => {
      const m = new nn.Conv2d(2, 3, 2);
      setParams(m, { weight: t('weight'), bias: t('bias') });
      nn.utils.weightNorm(m);
      const p = m as unknown as Record<string, Tensor>;
      const out = m.forward(t('x'));
      out.mul(out).sum().backward();
      check.close(p.weight_g!, want('g'), layers);
      check.close(out, want('out'), layers);
      check.close(p.weight_g!.grad!, want('gGrad'), layers);
      check.close(p.weight_v!.grad!, want('vGrad'), layers);
      m.dispose();
    });

    it('removeWeightNorm restores a plain parameter with the current value, keyed as PyTorch', () =>
      tidyChecks((check) => {
        const m = new nn.Linear(3, 2);
        const before = m.weight.clone();
        nn.utils.weightNorm(m);
        nn.utils.removeWeightNorm(m);
        // torch 1.13: list(remove_weight_norm(weight_norm(nn.Linear(3, 2))).state_dict()) == ['bias', 'weight']
        expect([...m.stateDict().keys()]).toEqual(['bias', 'weight']);
        expect(m.weight).toBeInstanceOf(nn.Parameter);
        check.close(m.weight, { shape: before.shape, data: before.data() }, { rtol: 1e-6, atol: 1e-6 });
        m.dispose();
      }));
  });

  describe('hooks: spectral norm', () => {
    for (const iterations of [1, 3]) {
      withCase(`spectral norm of Linear, ${iterations} power iterations`, (t, c, check, want) => {
        const m = new nn.Linear(4, 3);
        setParams(m, { weight: t('weight'), bias: t('bias') });
        nn.utils.spectralNorm(m, { nPowerIterations: iterations });
        setParams(m, { weight_u: t('u0'), weight_v: t('v0') });
        expect([...m.stateDict().keys()]).toEqual(c.keys);
        expect(m.namedBuffers().map(([n]) => n)).toEqual(['weight_u', 'weight_v']);
        const p = m as unknown as Record<string, Tensor>;
        const x = t('x');
        const out = m.forward(x);
        out.mul(out).sum().backward();
        check.close(out, want('out'), layers);
        check.close(m.weight, want('normalized'), layers);
        check.close(p.weight_u!, want('u'), layers);
        check.close(p.weight_v!, want('v'), layers);
        check.close(p.weight_orig!.grad!, want('origGrad'), layers);
        check.close(m.bias!.grad!, want('biasGrad'), layers);
        // Eval: no power iteration, u and v stay; the gradient treats them as constants.
        m.eval();
        p.weight_orig!.grad = null;
        const evalOut = m.forward(x);
        evalOut.mul(evalOut).sum().backward();
        check.close(evalOut, want('evalOut'), layers);
        check.close(p.weight_u!, want('evalU'), layers);
        check.close(p.weight_orig!.grad!, want('evalOrigGrad'), layers);
        m.dispose();
      });
    }

    withCase('spectral norm of ConvTranspose2d (dim 1)', (t, _c, check, want) => {
      const m = new nn.ConvTranspose2d(2, 3, 2);
      setParams(m, { weight: t('weight'), bias: t('bias') });
      nn.utils.spectralNorm(m);
      setParams(m, { weight_u: t('u0'), weight_v: t('v0') });
      const p = m as unknown as Record<string, Tensor>;
      const out = m.forward(t('x'));
      out.mul(out).sum().backward();
      check.close(out, want('out'), layers);
      check.close(p.weight_u!, want('u'), layers);
      check.close(p.weight_v!, want('v'), layers);
      check.close(p.weight_orig!.grad!, want('origGrad'), layers);
      m.dispose();
    });

    it('removeSpectralNorm restores a plain parameter, keyed as PyTorch; before any forward the weight is the raw one', () =>
      tidyChecks((check) => {
        const m = new nn.Linear(3, 2);
        const raw = m.weight.clone();
        nn.utils.spectralNorm(m);
        check.close(m.weight, { shape: raw.shape, data: raw.data() }, { rtol: 0, atol: 0 });
        m.eval();
        const p = m as unknown as Record<string, Tensor>;
        // In eval the removed weight is weight_orig / (u · W v) with the stored u and v.
        const sigma = p.weight_u!.mul(raw.matmul(p.weight_v!)).sum();
        const expected = raw.div(sigma);
        nn.utils.removeSpectralNorm(m);
        expect([...m.stateDict().keys()]).toEqual(['bias', 'weight']);
        expect(m.namedBuffers()).toEqual([]);
        check.close(m.weight, { shape: expected.shape, data: expected.data() }, layers);
        m.dispose();
      }));
  });

  describe('hooks: memory and errors', () => {
    it('training steps with tensor, module, weight-norm and spectral-norm hooks keep memory flat; dispose frees the models', () => {
      const before = flint.memory().tensors;
      const [lin, conv, sn, bil] = flint.tidy(() => [
        nn.utils.weightNorm(new nn.Linear(4, 3)),
        nn.utils.weightNorm(new nn.Conv2d(2, 2, 2), { dim: null }),
        nn.utils.spectralNorm(new nn.Linear(4, 3), { nPowerIterations: 2 }),
        new nn.Bilinear(4, 4, 2),
      ]);
      lin.registerFullBackwardHook((_m, gi) => [gi[0]!.mul(0.5)]);
      lin.registerForwardHook((_m, _a, out) => (out as Tensor).relu());
      bil.registerFullBackwardHook(() => undefined);
      lin.parameters()[0]!.registerHook((g) => g.clamp(-1, 1));
      const x = flint.randn([5, 4], { device });
      expectFlatSteps(lin, () => [x.clone().requiresGrad_()]);
      expectFlatSteps(conv, () => [flint.ones([1, 2, 3, 3], { device })]);
      expectFlatSteps(sn, () => [x]);
      expectFlatSteps(bil, () => [x.clone().requiresGrad_(), x]);
      for (const m of [lin, conv, sn, bil]) m.dispose();
      x.dispose();
      expect(flint.memory().tensors).toBe(before);
    });

    it('weight norm: registering twice, an unknown name, removing what is not there', () => {
      const m = flint.tidy(() => nn.utils.weightNorm(new nn.Linear(3, 2)));
      expectThrowsClean(() => nn.utils.weightNorm(m), /^Cannot register two weight_norm hooks on the same parameter weight$/);
      const other = flint.tidy(() => new nn.Linear(3, 2));
      expectThrowsClean(() => nn.utils.weightNorm(other, { name: 'foo' }), /^'Linear' object has no attribute 'foo'$/);
      expectThrowsClean(() => nn.utils.removeWeightNorm(other), /^weight_norm of 'weight' not found in Linear\(in_features=3, out_features=2, bias=True\)$/);
      expectThrowsClean(() => nn.utils.weightNorm(other, { dim: 2 }), /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
      expect(other.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
      m.dispose();
      other.dispose();
    });

    it('spectral norm: registering twice, an unknown name, non-positive iterations, removing what is not there', () => {
      const m = flint.tidy(() => nn.utils.spectralNorm(new nn.Linear(3, 2)));
      expectThrowsClean(() => nn.utils.spectralNorm(m), /^Cannot register two spectral_norm hooks on the same parameter weight$/);
      const other = flint.tidy(() => new nn.Linear(3, 2));
      expectThrowsClean(() => nn.utils.spectralNorm(other, { name: 'foo' }), /^'Linear' object has no attribute 'foo'$/);
      expectThrowsClean(() => nn.utils.spectralNorm(other, { nPowerIterations: 0 }), /^Expected n_power_iterations to be positive, but got n_power_iterations=0$/);
      expectThrowsClean(() => nn.utils.removeSpectralNorm(other), /^spectral_norm of 'weight' not found in Linear\(in_features=3, out_features=2, bias=True\)$/);
      expect(other.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
      m.dispose();
      other.dispose();
    });
  });
}
