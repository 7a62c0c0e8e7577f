/** The two models a visitor can train, small enough to train in a page in a minute. */
import * as flint from '@flint/core';

const { nn } = flint;

export type ModelName = 'mlp' | 'cnn';

export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn'];

/**
 * `mlp`: 784-128-10 with ReLU (about 97% after a few epochs). `cnn`: two 3x3 conv blocks (8 and
 * 16 channels, each ReLU and 2x2 max pool), then a linear classifier (about 98%).
 */
export function createModel(name: ModelName): flint.nn.Sequential {
  return flint.tidy(() =>
    name === 'cnn'
      ? new nn.Sequential(
          new nn.Conv2d(1, 8, 3, { padding: 1 }),
          new nn.ReLU(),
          new nn.MaxPool2d(2),
          new nn.Conv2d(8, 16, 3, { padding: 1 }),
          new nn.ReLU(),
          new nn.MaxPool2d(2),
          new nn.Flatten(),
          new nn.Linear(16 * 7 * 7, 10),
        )
      : new nn.Sequential(new nn.Flatten(), new nn.Linear(28 * 28, 128), new nn.ReLU(), new nn.Linear(128, 10)),
  );
}
