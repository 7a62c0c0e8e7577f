import { describe, expect, it } from 'vitest';
import { kernelLayout } from '../src/kernel-layout.ts';
import { bindings } from '../src/wgsl.ts';

const source = `${bindings([['out', 'read_write'], ['in0', 'read'], ['in1', 'read']])}
// p: [n, offsets[2]] and a comment with an unbalanced [
fn main() {
  let i = p[0];
  out[i] = in0[p[p[1] + 1u] + i] * in1[p[2]];
}`;

describe('webgpu: kernels meet the runtime bindings', () => {
  it('parameters come from the uniform ring, data bindings are all writable', () => {
    const { source: rewritten, bindings: kept } = kernelLayout(source, new Map());
    expect(kept).toEqual([1, 2, 3]);
    expect(rewritten).toContain('var<uniform> paramBlock');
    expect(rewritten).toContain('let i = paramWord(0);');
    expect(rewritten).toContain('out[i] = in0[paramWord(paramWord(1) + 1u) + i] * in1[paramWord(2)];');
    expect(rewritten).not.toMatch(/var<storage, read>/);
    expect(rewritten).not.toContain('unbalanced');
  });

  it('a tensor bound twice is bound once and read through the first name', () => {
    const { source: rewritten, bindings: kept } = kernelLayout(source, new Map([[3, 2]]));
    expect(kept).toEqual([1, 2]);
    expect(rewritten).not.toContain('in1');
    expect(rewritten).toContain('out[i] = in0[paramWord(paramWord(1) + 1u) + i] * in0[paramWord(2)];');
  });
});
