/** One safetensors file per network and epoch, as the original saves `netG_epoch_<n>.pth` and `netD_epoch_<n>.pth`. */
import * as flint from '@flint/core';

export async function saveWeights(model: flint.nn.Module, path: string): Promise<void> {
  const state = model.stateDict();
  try {
    await flint.save(state, path);
  } finally {
    for (const t of state.values()) t.dispose();
  }
}

/** Loads a file {@link saveWeights} wrote (or one PyTorch wrote with the same keys) into `model`. */
export async function loadWeights(model: flint.nn.Module, path: string): Promise<void> {
  const state = await flint.load(path);
  try {
    model.loadStateDict(state);
  } finally {
    for (const t of state.values()) t.dispose();
  }
}
