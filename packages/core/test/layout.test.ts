import { describe, expect, it } from 'vitest';
import { mergeDims } from '../src/backend/layout.ts';

describe('mergeDims', () => {
  it('merges a contiguous tensor into one row', () => {
    expect(mergeDims([2, 3, 4], [[12, 4, 1]])).toEqual({ sizes: [24], strides: [[1]], empty: false });
  });
  it('keeps a dimension apart where one operand breaks contiguity (a broadcast row)', () => {
    expect(mergeDims([2, 3, 4], [[12, 4, 1], [0, 4, 1]])).toEqual({ sizes: [12, 2], strides: [[1, 1], [12, 0]], empty: false });
  });
  it('drops size-1 dimensions whatever their stride', () => {
    expect(mergeDims([3, 1, 2], [[2, 99, 1]])).toEqual({ sizes: [6], strides: [[1]], empty: false });
  });
  it('does not merge a transposed layout', () => {
    expect(mergeDims([3, 2], [[1, 3]])).toEqual({ sizes: [2, 3], strides: [[3], [1]], empty: false });
  });
  it('reports an empty tensor and a scalar', () => {
    expect(mergeDims([4, 0], [[0, 1]]).empty).toBe(true);
    expect(mergeDims([], [[]])).toEqual({ sizes: [], strides: [], empty: false });
  });
});
