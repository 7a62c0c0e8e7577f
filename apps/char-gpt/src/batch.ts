/** Random context windows, as nanoGPT's get_batch. */
import * as flint from '@flint/core';

/**
 * `batchSize` windows of `blockSize` characters at random offsets of `data`: inputs x [B, T] and
 * targets y [B, T], y shifted one character ahead of x, both int32 on `device`.
 */
export function getBatch(data: Int32Array, blockSize: number, batchSize: number, device: string, generator: flint.Generator): [flint.Tensor, flint.Tensor] {
  if (data.length <= blockSize) throw new RangeError(`getBatch(): the data (${data.length} characters) must be longer than the block size (${blockSize})`);
  const offsets = flint.randint(0, data.length - blockSize, [batchSize], { generator, device: 'cpu' });
  const starts = offsets.dataSync();
  offsets.dispose();
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  starts.forEach((start, row) => {
    x.set(data.subarray(start, start + blockSize), row * blockSize);
    y.set(data.subarray(start + 1, start + 1 + blockSize), row * blockSize);
  });
  return flint.tidy(() => [flint.tensor(x, { device }).view(batchSize, blockSize), flint.tensor(y, { device }).view(batchSize, blockSize)]);
}
