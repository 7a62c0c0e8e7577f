/** Activation functions as modules, for use in Sequential. */
import type { Tensor } from '../../tensor/tensor.ts';
import { gelu, leakyRelu, relu, sigmoid, silu, tanh } from '../../ops/elementwise.ts';
import { logSoftmax, softmax } from '../../ops/softmax.ts';
import { Module } from '../module.ts';
import { py, pyFloat } from '../repr.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkInteger, checkNumber } from '../../options/check-values.ts';

/** max(x, 0), as torch.nn.ReLU. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x for x > 0, else negativeSlope * x, as torch.nn.LeakyReLU. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    checkNumber('LeakyReLU', 'negative_slope', negativeSlope);
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** x * Phi(x), or its tanh approximation, as torch.nn.GELU. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    checkChoice('GELU', 'approximate', approximate, ['none', 'tanh'], `approximate argument must be either none or tanh (got ${String(approximate)})`);
    super();
  }

  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate=${py(this.approximate)}`;
  }
}

/** x * sigmoid(x), as torch.nn.SiLU. */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** softmax along `dim`, as torch.nn.Softmax. */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    checkInteger('Softmax', 'dim', dim);
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax) along `dim`, computed stably, as torch.nn.LogSoftmax. */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    checkInteger('LogSoftmax', 'dim', dim);
    super();
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
