import * as flint from '@flint/core';

const { nn } = flint;

/** Linear(6, 4) -> ReLU -> Linear(4, 2). */
export class SimpleNet extends nn.Module {
  fc1 = new nn.Linear(6, 4);
  fc2 = new nn.Linear(4, 2);

  forward(x: flint.Tensor): flint.Tensor {
    return this.fc2.forward(flint.relu(this.fc1.forward(x)));
  }
}
