/**
 * Non-option arguments that PyTorch reads in a particular way or rejects with its own words: a
 * dtype name given to `to()`, fractional sizes and positions, a missing tensor argument, randint
 * bounds per dtype, containers given a non-module, and distribution parameters outside their
 * support (PyTorch's `validate_args`). Each bad call names the op and changes nothing.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { readsSynchronously, thrownBy } from '../helpers.ts';

const { nn, distributions } = flint;
const F = nn.functional;

type Case = readonly [what: string, act: (x: flint.Tensor) => unknown, error: new (...args: never[]) => Error, message: RegExp];

const cases: readonly Case[] = [
  ['to() a PyTorch dtype flint lacks', (x) => x.to('float64'), TypeError, /^to\(\): flint has no dtype float64; its dtypes are float32, int32, bool$/],
  ['to() half', (x) => x.to('half'), TypeError, /^to\(\): flint has no dtype half; its dtypes are float32, int32, bool$/],
  ['repeat() by a fractional count', (x) => x.repeat([1.5]), TypeError, /^repeat\(\): argument 'repeats' must be a list of integers, but found element 1.5 at pos 0$/],
  ['narrow() from a fractional start', (x) => x.narrow(0, 1.5, 1), TypeError, /^narrow\(\): start and length must be integers, but got start=1.5, length=1$/],
  ['bilinear() without its second input', (x) => (F.bilinear as (...a: unknown[]) => unknown)(x), TypeError, /^bilinear\(\): missing required argument 2: expected a Tensor$/],
  ['mul() without its second operand', (x) => (flint.mul as (...a: unknown[]) => unknown)(x), TypeError, /^mul\(\): missing required argument 2: expected a Tensor, a number or a boolean$/],
  ['randint() past bool', () => flint.randint(0, 3, [2], { dtype: 'bool' }), RangeError, /^randint\(\): to - 1 is out of bounds for bool$/],
  ['randint() below bool', () => flint.randint(-1, 1, [2], { dtype: 'bool' }), RangeError, /^randint\(\): from is out of bounds for bool$/],
  ['randint() past float32\'s exact integers', () => flint.randint(0, 2 ** 24 + 2, [2], { dtype: 'float32' }), RangeError, /^randint\(\): to - 1 is out of bounds for float32 \[-\(2\^24\), 2\^24\]$/],
  ['randint() past int32', () => flint.randint(0, 2 ** 31 + 1, [2]), RangeError, /^randint\(\): to - 1 is out of bounds for int32$/],
  ['an optimizer group whose params is a number', () => new flint.optim.SGD([{ params: 7 as unknown as flint.Tensor }], { lr: 0.1 }), TypeError, /^SGD\.addParamGroup\(\): params must be a Tensor or an iterable of Tensors, but got number$/],
  ['ModuleList.append() of a number', () => new nn.ModuleList().append(7 as unknown as flint.nn.Module), TypeError, /^ModuleList\.append\(\): number is not a Module subclass \(argument 1\)$/],
  ['ModuleDict.set() of a number', () => new nn.ModuleDict().set('a', 7 as unknown as flint.nn.Module), TypeError, /^ModuleDict\.set\(\): number is not a Module subclass \(key 'a'\)$/],
  ['ModuleDict.set() under a number key', () => new nn.ModuleDict().set(7 as unknown as string, new nn.ReLU()), TypeError, /^ModuleDict\.set\(\): module name should be a string\. Got number$/],
];

export function badArgumentsSuite(ctx: SuiteContext): void {
  describe('bad input: non-option arguments', () => {
    for (const [what, act, error, message] of cases) {
      it(`${what} throws ${error.name} and leaves memory as it was`, () => {
        const x = flint.tensor([1, 2], { device: ctx.name, dtype: 'float32' });
        const before = flint.memory();
        const caught = thrownBy(() => act(x));
        const after = flint.memory();
        x.dispose();
        expect(caught, `expected a throw matching ${message}`).toBeInstanceOf(error);
        expect((caught as Error).message).toMatch(message);
        expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
      });
    }

    it('to() reads PyTorch\'s dtype names for flint\'s dtypes as casts, not devices', async () => {
      const x = flint.tensor([1.5, -2.5], { device: ctx.name });
      const asInt = x.to('int' as flint.DType);
      const asFloat = asInt.to('float' as flint.DType);
      expect([asInt.dtype, asInt.device, asFloat.dtype]).toEqual(['int32', ctx.name, 'float32']);
      // Casting to int32 truncates toward zero, as PyTorch does.
      expect(Array.from(await asInt.data())).toEqual([1, -2]);
      for (const t of [x, asInt, asFloat]) t.dispose();
    });

    it('randint() draws up to the last value each dtype holds', async () => {
      const bools = flint.randint(0, 2, [64], { dtype: 'bool', device: ctx.name });
      const floats = flint.randint(2 ** 24 - 4, 2 ** 24 + 1, [64], { dtype: 'float32', device: ctx.name });
      expect(bools.dtype).toBe('bool');
      expect(Array.from(await floats.data()).every((v) => Number.isInteger(v) && v >= 2 ** 24 - 4 && v <= 2 ** 24)).toBe(true);
      for (const t of [bools, floats]) t.dispose();
    });

    it('ModuleList.extend() with a non-module among the modules adds none of them', () => {
      const list = new nn.ModuleList([new nn.ReLU()]);
      expect(() => list.extend([new nn.Tanh(), 3 as unknown as flint.nn.Module])).toThrow(/^ModuleList\.extend\(\): number is not a Module subclass \(index 1\)$/);
      expect(list.length).toBe(1);
    });

    it('distributions check tensor parameters against their support where values read synchronously, and not with validateArgs: false', () => {
      const negative = flint.tensor([1, -1], { device: ctx.name, dtype: 'float32' });
      const before = flint.memory().tensors;
      const build = (): unknown => new distributions.Normal(0, negative);
      if (readsSynchronously(negative)) {
        expect(build).toThrow(/^Normal\(\): Expected parameter scale \(Tensor of shape \[2\]\) of distribution Normal to satisfy the constraint GreaterThan\(lower_bound=0\.0\), but found invalid values$/);
        expect(() => new distributions.Categorical({ probs: negative })).toThrow(/^Categorical\(\): Expected parameter probs \(Tensor of shape \[2\]\) of distribution Categorical to satisfy the constraint Simplex\(\)/);
        expect(() => new distributions.Bernoulli({ probs: negative })).toThrow(/^Bernoulli\(\): Expected parameter probs/);
        expect(flint.memory().tensors).toBe(before);
      } else {
        expect(build).not.toThrow();
      }
      const unchecked = new distributions.Normal(0, -1, { validateArgs: false });
      expect(unchecked.scale.shape).toEqual([]);
      for (const t of [negative, unchecked.loc, unchecked.scale]) t.dispose();
    });
  });
}
