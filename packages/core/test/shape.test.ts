import { describe, it, expect } from 'vitest';
import { broadcastShapes, contiguousStrides, isContiguous, normalizeDim, normalizeDims } from '../src/tensor/shape.ts';
import { promoteTypes, scalarDType } from '../src/tensor/dtype.ts';

describe('shapes', () => {
  it('broadcasts from the right like NumPy/PyTorch', () => {
    expect(broadcastShapes('add', [2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(broadcastShapes('add', [], [5])).toEqual([5]);
    expect(broadcastShapes('add', [0, 1], [1, 3])).toEqual([0, 3]);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(/add\(\): shapes \[2, 3\] and \[4\] cannot be broadcast/);
  });

  it('computes row-major strides and detects contiguity', () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(isContiguous([2, 3], [3, 1])).toBe(true);
    expect(isContiguous([2, 3], [1, 2])).toBe(false);
    expect(isContiguous([1, 3], [99, 1])).toBe(true);
  });

  it('normalises dims with PyTorch-style errors', () => {
    expect(normalizeDim('sum', -1, 3)).toBe(2);
    expect(() => normalizeDim('sum', 3, 3)).toThrow('sum(): Dimension out of range (expected to be in range of [-3, 2], but got 3)');
    expect(normalizeDims('sum', [2, -3], 3)).toEqual([0, 2]);
    expect(() => normalizeDims('sum', [1, -2], 3)).toThrow(/appears multiple times/);
  });

  it('promotes dtypes bool < int32 < float32, with Python scalars', () => {
    expect(promoteTypes('int32', 'float32')).toBe('float32');
    expect(promoteTypes('bool', 'int32')).toBe('int32');
    expect(scalarDType(2, 'int32')).toBe('int32');
    expect(scalarDType(0.5, 'int32')).toBe('float32');
    expect(scalarDType(1, 'bool')).toBe('int32');
  });
});
