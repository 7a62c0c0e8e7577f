/**
 * nn.utils.parametersToVector / vectorToParameters (torch.nn.utils.parameters_to_vector /
 * vector_to_parameters): values, the gradient through the vector, and torch's errors.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';

const { parametersToVector, vectorToParameters } = flint.nn.utils;

export function parameterVectorSuite(ctx: SuiteContext): void {
  const on = { dtype: 'float32' as const, device: ctx.name };
  const params = (): flint.Tensor[] => [
    flint.tensor([[1, 2, 3], [4, 5, 6]], { ...on, requiresGrad: true }),
    flint.tensor([7], { ...on, requiresGrad: true }),
    flint.tensor([[8], [9]], { ...on, requiresGrad: true }),
  ];
  const dispose = (ts: flint.Tensor[]): void => ts.forEach((t) => t.dispose());

  describe('nn.utils: parameter vectors', () => {
    it('parametersToVector concatenates the flattened parameters in order, and is differentiable', async () => {
      const ps = params();
      const vec = parametersToVector(ps);
      expect(await vec.tolist()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      flint.tidy(() => vec.mul(flint.arange(1, 10, 1, on)).sum().backward());
      expect(await Promise.all(ps.map((p) => p.grad!.tolist()))).toEqual([[[1, 2, 3], [4, 5, 6]], [7], [[8], [9]]]);
      dispose([vec, ...ps]);
    });

    it('parametersToVector takes a single tensor', async () => {
      const w = flint.tensor([[1, 2], [3, 4]], on);
      const vec = parametersToVector(w);
      expect(await vec.tolist()).toEqual([1, 2, 3, 4]);
      dispose([vec, w]);
    });

    it('vectorToParameters copies consecutive slices into the parameters, ignoring extra elements', async () => {
      const ps = params();
      const vec = flint.tensor([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], on);
      vectorToParameters(vec, ps);
      expect(await Promise.all(ps.map((p) => p.tolist()))).toEqual([[[9, 8, 7], [6, 5, 4]], [3], [[2], [1]]]);
      expect(ps.map((p) => p.isLeaf && p.requiresGrad)).toEqual([true, true, true]);
      // A copy: the parameters do not follow later changes of the vector.
      vec.fill_(0);
      expect(await ps[1]!.tolist()).toEqual([3]);
      dispose([vec, ...ps]);
    });

    it('a round trip restores the parameters', async () => {
      const ps = params();
      const vec = parametersToVector(ps);
      const saved = flint.tidy(() => vec.detach().clone());
      flint.noGrad(() => ps.forEach((p) => p.zero_()));
      vectorToParameters(saved, ps);
      expect(await Promise.all(ps.map((p) => p.tolist()))).toEqual([[[1, 2, 3], [4, 5, 6]], [7], [[8], [9]]]);
      dispose([vec, saved, ...ps]);
    });

    const reference = ctx.reference;
    if (reference && reference !== ctx.name) {
      it('errors: parameters on two devices', () => {
        const [a, b] = [flint.zeros([2], on), flint.zeros([2], { device: reference })];
        const vec = flint.zeros([4], on);
        const message = 'Found two parameters on different devices, this is currently not supported.';
        expect(() => parametersToVector([a, b])).toThrow(`parametersToVector(): ${message}`);
        expect(() => vectorToParameters(vec, [a, b])).toThrow(`vectorToParameters(): ${message}`);
        dispose([a, b, vec]);
      });
    }

    it('errors: a vector that is no Tensor', () => {
      const ps = params();
      expect(() => vectorToParameters([1, 2] as unknown as flint.Tensor, ps)).toThrow('vectorToParameters(): expected torch.Tensor, but got: Array');
      expect(() => vectorToParameters(3 as unknown as flint.Tensor, ps)).toThrow('vectorToParameters(): expected torch.Tensor, but got: number');
      dispose(ps);
    });

    it('errors: a vector too short changes no parameter', async () => {
      const ps = params();
      const vec = flint.tensor([0, 0, 0, 0, 0, 0, 0, 0], on);
      expect(() => vectorToParameters(vec, ps)).toThrow("vectorToParameters(): shape '[2, 1]' is invalid for input of size 1");
      expect(await Promise.all(ps.map((p) => p.tolist()))).toEqual([[[1, 2, 3], [4, 5, 6]], [7], [[8], [9]]]);
      dispose([vec, ...ps]);
    });

    it('errors: a parameter that is no Tensor, an empty list, a vector of two dims', () => {
      const ps = params();
      expect(() => parametersToVector([ps[0]!, 5 as unknown as flint.Tensor])).toThrow('parametersToVector(): expected torch.Tensor, but got: number');
      expect(() => parametersToVector([])).toThrow('parametersToVector(): expected a non-empty list of Tensors');
      const grid = flint.zeros([3, 3], on);
      expect(() => vectorToParameters(grid, ps)).toThrow('vectorToParameters(): expected a 1-D vector, but got shape [3, 3]');
      dispose([grid, ...ps]);
    });
  });
}
