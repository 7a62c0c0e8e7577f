/** Moving tensors between backends. */
import type { Tensor } from '../tensor/tensor.ts';
import { backendFor } from '../backend/registry.ts';
import { record, wrap } from './kernel.ts';
import { alias } from './view.ts';

function arrive(x: Tensor, device: string, data: ArrayLike<number> & (Float32Array | Int32Array | Uint8Array)): Tensor {
  const target = backendFor(device);
  const out = wrap(target, target.upload(data, x.dtype), x.shape, x.dtype);
  return record('ToCopyBackward', out, [x], [], (g) => [moveTo(g, x.device)]);
}

/** `x` on `device` (a new handle if already there); needs a source backend that reads synchronously. */
export function moveTo(x: Tensor, device: string): Tensor {
  x.assertAlive('to');
  if (backendFor(device) === x.backend) return alias(x);
  if (!x.backend.readSync) {
    throw new Error(`to(): the ${x.device} backend cannot read synchronously; use \`await t.toAsync('${device}')\` instead.`);
  }
  return arrive(x, device, x.dataSync());
}

/** `x` on `device`, reading asynchronously: works from every backend. */
export async function moveToAsync(x: Tensor, device: string): Promise<Tensor> {
  x.assertAlive('toAsync');
  if (backendFor(device) === x.backend) return alias(x);
  return arrive(x, device, await x.data());
}
