/** oneHot, dropout, indexSelect, embedding and gather on hand-made examples. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, expectValues, withSavedSeed } from '../helpers.ts';

export function smallOpsSuite(_ctx: SuiteContext): void {
  describe('tensor: oneHot, dropout, indexSelect, embedding, gather', () => {
    it('oneHot with explicit and inferred class counts', () =>
      flint.tidy(() => {
        const o = flint.oneHot(flint.tensor([0, 2, 1]), 4);
        expect(o.dtype).toBe('int32');
        expect(o.tolistSync()).toEqual([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]);
        const inferred = flint.oneHot(flint.tensor([[1], [3]]));
        expect([...inferred.shape]).toEqual([2, 1, 4]);
        expect(inferred.tolistSync()).toEqual([[[0, 1, 0, 0]], [[0, 0, 0, 1]]]);
      }));

    it('dropout: p=0, p=1 and training=false', () =>
      flint.tidy(() => {
        const x = flint.tensor([1, -2, 3, 4], { dtype: 'float32' });
        expectValues(flint.dropout(x, 0), [1, -2, 3, 4], exact);
        expectValues(flint.dropout(x, 1), [0, 0, 0, 0], exact);
        expectValues(flint.dropout(x, 0.5, { training: false }), [1, -2, 3, 4], exact);
        expectValues(flint.dropout(x, 1, { training: false }), [1, -2, 3, 4], exact);
      }));

    it('dropout p=0.5 keeps about half, scaled by 2, reproducibly', () =>
      withSavedSeed(() =>
        flint.tidy(() => {
          const n = 2000;
          const x = flint.arange(1, n + 1, 1, { dtype: 'float32' });
          flint.manualSeed(11);
          const y = Array.from(flint.dropout(x, 0.5).dataSync());
          let kept = 0;
          y.forEach((v, i) => {
            if (v !== 0) {
              kept++;
              expect(v).toBe(2 * (i + 1));
            }
          });
          expect(kept).toBeGreaterThan(0.45 * n);
          expect(kept).toBeLessThan(0.55 * n);
          flint.manualSeed(11);
          expect(Array.from(flint.dropout(x, 0.5).dataSync())).toEqual(y);
          const a = Array.from(flint.dropout(x, 0.5, { generator: new flint.Generator(5) }).dataSync());
          const b = Array.from(flint.dropout(x, 0.5, { generator: new flint.Generator(5) }).dataSync());
          expect(b).toEqual(a);
          expect(a).not.toEqual(y);
        }),
      ));

    it('indexSelect', () =>
      flint.tidy(() => {
        const y = flint.tensor([[10, 20, 30], [40, 50, 60]], { dtype: 'float32' });
        expectValues(y.indexSelect(1, flint.tensor([2, 0, 2])), [[30, 10, 30], [60, 40, 60]], exact);
        expectValues(flint.indexSelect(y, 0, flint.tensor([1])), [[40, 50, 60]], exact);
        expect(flint.tensor([[1, 2], [3, 4]]).indexSelect(0, flint.tensor([1, 1, 0])).tolistSync()).toEqual([[3, 4], [3, 4], [1, 2]]);
      }));

    it('embedding', () =>
      flint.tidy(() => {
        const w = flint.tensor([[0, 0.5], [1, 1.5], [2, 2.5]]);
        const e = flint.embedding(flint.tensor([[2, 0], [1, 2]]), w);
        expect([...e.shape]).toEqual([2, 2, 2]);
        expectValues(e, [[[2, 2.5], [0, 0.5]], [[1, 1.5], [2, 2.5]]], exact);
        expectValues(flint.embedding(flint.tensor([1]), w), [[1, 1.5]], exact);
      }));

    it('gather', () =>
      flint.tidy(() => {
        const y = flint.tensor([[10, 20, 30], [40, 50, 60]], { dtype: 'float32' });
        expectValues(y.gather(1, flint.tensor([[2, 0], [1, 1]])), [[30, 10], [50, 50]], exact);
        expectValues(flint.gather(y, 0, flint.tensor([[1, 0, 1]])), [[40, 20, 60]], exact);
        expectValues(y.gather(-1, flint.tensor([[0], [2]])), [[10], [60]], exact);
      }));
  });
}
