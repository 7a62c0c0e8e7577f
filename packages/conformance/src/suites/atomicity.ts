/**
 * Calls that write state and throw change nothing: Module.loadStateDict checks every entry before
 * it copies one, and Optimizer.step checks every gradient before it updates a parameter (PyTorch
 * itself writes the entries before a bad one).
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';

/** Every value of every tensor, for bit-for-bit comparison before and after a failed call. */
async function snapshot(tensors: Iterable<flint.Tensor>): Promise<number[][]> {
  return Promise.all([...tensors].map(async (t) => Array.from(await t.data())));
}

const f32 = { dtype: 'float32' } as const;

function model(): flint.nn.Sequential {
  flint.manualSeed(3);
  return new flint.nn.Sequential(new flint.nn.Linear(3, 4), new flint.nn.BatchNorm1d(4), new flint.nn.Linear(4, 2));
}

export function atomicitySuite(_ctx: SuiteContext): void {
  describe('atomicity: a call that throws changes nothing', () => {
    const failures: Array<[string, (state: Map<string, unknown>) => void, RegExp]> = [
      ['a size mismatch in the last entry', (s) => s.set('2.bias', flint.zeros([3])), /size mismatch for 2\.bias/],
      ['a missing key', (s) => s.delete('2.weight'), /Missing key\(s\) in state_dict: "2\.weight"/],
      ['an unexpected key', (s) => s.set('3.weight', flint.zeros([1])), /Unexpected key\(s\) in state_dict: "3\.weight"/],
      ['a disposed value', (s) => { const t = flint.zeros([2]); t.dispose(); s.set('2.bias', t); }, /value for 2\.bias is a disposed tensor/],
      ['a value that is not a tensor', (s) => s.set('2.bias', [0, 0]), /value for 2\.bias is not a tensor \(got object\)/],
    ];
    for (const [what, corrupt, message] of failures) {
      it(`loadStateDict with ${what} throws and copies no entry`, async () => {
        const net = model();
        const before = await snapshot(net.stateDict().values());
        // Every other entry would change the model: ones everywhere.
        const state = new Map<string, unknown>([...net.stateDict()].map(([k, t]) => [k, flint.onesLike(t)]));
        corrupt(state);
        expect(() => net.loadStateDict(state as Map<string, flint.Tensor>)).toThrow(message);
        expect(await snapshot(net.stateDict().values())).toEqual(before);
        for (const v of state.values()) if (v instanceof flint.Tensor) v.dispose();
        net.dispose();
      });
    }

    it('loadStateDict casts a float value into an int32 buffer, as copy_', async () => {
      const net = model();
      const state = net.stateDict();
      state.set('1.num_batches_tracked', flint.tensor(7, f32));
      net.loadStateDict(state);
      const tracked = net.stateDict().get('1.num_batches_tracked')!;
      expect(tracked.dtype).toBe('int32');
      expect(await tracked.item()).toBe(7);
      net.dispose();
    });

    const optimizers: Array<[string, (p: flint.Tensor[]) => flint.optim.Optimizer]> = [
      ['SGD with momentum', (p) => new flint.optim.SGD(p, { lr: 0.1, momentum: 0.9 })],
      ['Adam', (p) => new flint.optim.Adam(p, { lr: 0.1 })],
      ['AdamW', (p) => new flint.optim.AdamW(p, { lr: 0.1 })],
      ['RMSprop', (p) => new flint.optim.RMSprop(p, { lr: 0.1 })],
      ['Adagrad', (p) => new flint.optim.Adagrad(p, { lr: 0.1 })],
    ];
    // Assigning `.grad` checks its size, dtype and device; what changes a gradient afterwards is
    // caught by step(): its data replaced (as PyTorch's `p.grad.data = ...`) or disposed.
    const badGrads: Array<[string, (grad: flint.Tensor) => void, RegExp]> = [
      ['a gradient resized', (g) => g.setData(flint.ones([3])), /the gradient of a parameter of shape \[2\] has shape \[3\]/],
      ['a disposed gradient', (g) => g.dispose(), /was disposed/],
    ];
    for (const [name, make] of optimizers) {
      for (const [what, corrupt, message] of badGrads) {
        it(`${name}.step() with ${what} for the second parameter updates neither parameter nor state`, async () => {
          const a = flint.tensor([1, 2], f32).requiresGrad_();
          const b = flint.tensor([3, 4], f32).requiresGrad_();
          const opt = make([a, b]);
          // One good step first, so that state exists and would move.
          a.grad = flint.tensor([0.5, -0.5], f32);
          b.grad = flint.tensor([0.25, 0.25], f32);
          opt.step();
          const stateTensors = () => [...opt.state.values()].flatMap((s) => Object.values(s).filter((v): v is flint.Tensor => v instanceof flint.Tensor));
          const before = await snapshot([a, b, ...stateTensors()]);
          const steps = JSON.stringify([...opt.state.values()].map((s) => Object.entries(s).filter(([, v]) => typeof v === 'number')));
          b.grad = flint.tensor([0.25, 0.25], f32);
          corrupt(b.grad);
          expect(() => opt.step()).toThrow(message);
          expect(() => opt.step()).toThrow(new RegExp(name.split(' ')[0]!));
          expect(await snapshot([a, b, ...stateTensors()])).toEqual(before);
          expect(JSON.stringify([...opt.state.values()].map((s) => Object.entries(s).filter(([, v]) => typeof v === 'number')))).toBe(steps);
          opt.dispose();
          for (const t of [a, b]) t.dispose();
        });
      }
    }
  });
}
