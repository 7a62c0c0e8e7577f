/** oneHot, dropout, indexSelect, embedding and gather on hand-made examples. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, readsSynchronously, tidyChecks, valuesOf, withSavedSeed } from '../helpers.ts';

export function smallOpsSuite(_ctx: SuiteContext): void {
  describe('tensor: oneHot, dropout, indexSelect, embedding, gather', () => {
    it('oneHot with explicit and inferred class counts', () =>
      tidyChecks((check) => {
        const o = flint.oneHot(flint.tensor([0, 2, 1]), 4);
        expect(o.dtype).toBe('int32');
        check.list(o, [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]);
        const labels = flint.tensor([[1], [3]]);
        if (readsSynchronously(labels)) {
          const inferred = flint.oneHot(labels);
          expect([...inferred.shape]).toEqual([2, 1, 4]);
          check.list(inferred, [[[0, 1, 0, 0]], [[0, 0, 0, 1]]]);
        } else {
          expect(() => flint.oneHot(labels)).toThrow(/oneHot\(\).*pass numClasses/);
        }
      }));

    it('dropout: p=0, p=1 and training=false', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, -2, 3, 4], { dtype: 'float32' });
        check.values(flint.dropout(x, 0), [1, -2, 3, 4], exact);
        check.values(flint.dropout(x, 1), [0, 0, 0, 0], exact);
        check.values(flint.dropout(x, 0.5, { training: false }), [1, -2, 3, 4], exact);
        check.values(flint.dropout(x, 1, { training: false }), [1, -2, 3, 4], exact);
      }));

    it('dropout p=0.5 keeps about half, scaled by 2, reproducibly', () =>
      withSavedSeed(async () => {
        const n = 2000;
        const x = flint.arange(1, n + 1, 1, { dtype: 'float32' });
        try {
          flint.manualSeed(11);
          const y = await valuesOf(() => flint.dropout(x, 0.5));
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
          expect(await valuesOf(() => flint.dropout(x, 0.5))).toEqual(y);
          const a = await valuesOf(() => flint.dropout(x, 0.5, { generator: new flint.Generator(5) }));
          const b = await valuesOf(() => flint.dropout(x, 0.5, { generator: new flint.Generator(5) }));
          expect(b).toEqual(a);
          expect(a).not.toEqual(y);
        } finally {
          x.dispose();
        }
      }));

    it('indexSelect', () =>
      tidyChecks((check) => {
        const y = flint.tensor([[10, 20, 30], [40, 50, 60]], { dtype: 'float32' });
        check.values(y.indexSelect(1, flint.tensor([2, 0, 2])), [[30, 10, 30], [60, 40, 60]], exact);
        check.values(flint.indexSelect(y, 0, flint.tensor([1])), [[40, 50, 60]], exact);
        check.list(flint.tensor([[1, 2], [3, 4]]).indexSelect(0, flint.tensor([1, 1, 0])), [[3, 4], [3, 4], [1, 2]]);
      }));

    it('embedding', () =>
      tidyChecks((check) => {
        const w = flint.tensor([[0, 0.5], [1, 1.5], [2, 2.5]]);
        const e = flint.embedding(flint.tensor([[2, 0], [1, 2]]), w);
        expect([...e.shape]).toEqual([2, 2, 2]);
        check.values(e, [[[2, 2.5], [0, 0.5]], [[1, 1.5], [2, 2.5]]], exact);
        check.values(flint.embedding(flint.tensor([1]), w), [[1, 1.5]], exact);
      }));

    it('gather', () =>
      tidyChecks((check) => {
        const y = flint.tensor([[10, 20, 30], [40, 50, 60]], { dtype: 'float32' });
        check.values(y.gather(1, flint.tensor([[2, 0], [1, 1]])), [[30, 10], [50, 50]], exact);
        check.values(flint.gather(y, 0, flint.tensor([[1, 0, 1]])), [[40, 20, 60]], exact);
        check.values(y.gather(-1, flint.tensor([[0], [2]])), [[10], [60]], exact);
      }));
  });
}
