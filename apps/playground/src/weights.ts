/**
 * Trained weights as a safetensors file (the format PyTorch's `safetensors` package reads): the
 * model's state dict, and which model it is in the header's metadata.
 */
import * as flint from '@flint/core';
import { MODEL_NAMES, createModel, type ModelName } from './models.ts';

/** The file name a download of `model`'s weights gets. */
export const fileName = (model: ModelName): string => `flint-mnist-${model}.safetensors`;

/** The weights of `model` (a `name` model) as safetensors bytes. */
export async function saveWeights(model: flint.nn.Module, name: ModelName): Promise<Uint8Array> {
  const state = model.stateDict();
  try {
    return await flint.serialize(state, { metadata: { model: name } });
  } finally {
    for (const t of state.values()) t.dispose();
  }
}

/** A model on the default backend with the weights of a file {@link saveWeights} wrote; `name` is used in errors. */
export function loadWeights(bytes: Uint8Array, name: string): { model: flint.nn.Sequential; kind: ModelName } {
  const named = (error: unknown): Error => new Error(`${name}: ${(error as Error).message}`, { cause: error });
  let checkpoint: flint.Checkpoint;
  try {
    checkpoint = flint.deserialize(bytes);
  } catch (error) {
    throw named(error);
  }
  const { tensors, metadata } = checkpoint;
  try {
    const kind = metadata.model as ModelName;
    if (!MODEL_NAMES.includes(kind)) throw new Error(`${name}: metadata "model" should be one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(metadata.model)}`);
    const model = createModel(kind);
    try {
      model.loadStateDict(tensors);
    } catch (error) {
      model.dispose();
      throw named(error);
    }
    return { model, kind };
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
