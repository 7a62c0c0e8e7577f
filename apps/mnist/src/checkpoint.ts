/**
 * Checkpoints in one safetensors file: the model's state dict under `model.`, the optimizer's
 * state tensors under `optimizer.<param>.<name>`, and everything else (epoch, best validation
 * loss, the optimizer's groups and counters) as JSON metadata.
 */
import * as flint from '@flint/core';

type Optimizer = flint.optim.Optimizer;
type ParamState = flint.optim.ParamState;

export interface Progress {
  epoch: number;
  bestValLoss: number;
  model: string;
}

export async function saveCheckpoint(path: string, model: flint.nn.Module, optimizer: Optimizer, progress: Progress): Promise<void> {
  const modelState = model.stateDict();
  const tensors = new Map<string, flint.Tensor>();
  for (const [key, t] of modelState) tensors.set(`model.${key}`, t);
  const { state, param_groups } = optimizer.stateDict();
  const counters: Record<string, Record<string, number>> = {};
  for (const [id, entries] of Object.entries(state)) {
    for (const [name, value] of Object.entries(entries)) {
      if (value instanceof flint.Tensor) tensors.set(`optimizer.${id}.${name}`, value);
      else if (typeof value === 'number') (counters[id] ??= {})[name] = value;
    }
  }
  await flint.save(tensors, path, { metadata: { progress: JSON.stringify(progress), optimizer: JSON.stringify({ param_groups, counters }) } });
  for (const t of modelState.values()) t.dispose();
}

/** Restores model and optimizer in place; returns the saved progress. */
export async function loadCheckpoint(path: string, model: flint.nn.Module, optimizer: Optimizer): Promise<Progress> {
  const { tensors, metadata } = await flint.loadWithMetadata(path);
  try {
    const modelState = new Map<string, flint.Tensor>();
    const state: Record<number, ParamState> = {};
    for (const [key, t] of tensors) {
      if (key.startsWith('model.')) modelState.set(key.slice('model.'.length), t);
      else {
        const [, id, name] = key.split('.');
        (state[Number(id)] ??= {})[name!] = t;
      }
    }
    const saved = JSON.parse(metadata.optimizer ?? '{}') as { param_groups: Parameters<Optimizer['loadStateDict']>[0]['param_groups']; counters: Record<string, Record<string, number>> };
    for (const [id, counters] of Object.entries(saved.counters)) Object.assign((state[Number(id)] ??= {}), counters);
    model.loadStateDict(modelState);
    optimizer.loadStateDict({ state, param_groups: saved.param_groups });
    return JSON.parse(metadata.progress ?? '{}') as Progress;
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
