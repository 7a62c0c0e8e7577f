/** The two models the example trains: a multilayer perceptron and a small convolutional network. */
import * as flint from '@flint/core';

const { nn } = flint;

/** 784-256-10 with ReLU: about 98% on MNIST. */
export class MLP extends nn.Module {
  fc1 = new nn.Linear(28 * 28, 256);
  fc2 = new nn.Linear(256, 10);

  forward(x: flint.Tensor): flint.Tensor {
    return this.fc2.forward(this.fc1.forward(x.flatten(1)).relu());
  }
}

/** Two 3x3 conv blocks (16 and 32 channels, each ReLU + 2x2 max pool), then a linear classifier: about 99%. */
export class CNN extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
  classifier = new nn.Linear(32 * 7 * 7, 10);

  forward(x: flint.Tensor): flint.Tensor {
    return this.classifier.forward(this.features.forward(x).flatten(1));
  }
}

export type ModelName = 'mlp' | 'cnn';

export function createModel(name: ModelName): flint.nn.Module & { forward(x: flint.Tensor): flint.Tensor } {
  return flint.tidy(() => (name === 'cnn' ? new CNN() : new MLP()));
}
