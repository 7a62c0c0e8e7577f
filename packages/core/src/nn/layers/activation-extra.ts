/** torch.nn's remaining activation modules, each a thin module over its functional form in ops/activation.ts. */
import type { Tensor } from '../../tensor/tensor.ts';
import { softplus } from '../../ops/elementwise.ts';
import { softmax } from '../../ops/softmax.ts';
import {
  assertLambda, celu, elu, glu, hardshrink, hardsigmoid, hardswish, hardtanh, logsigmoid, mish, prelu, relu6, rrelu, selu, softmin, softshrink,
  softsign, tanhshrink, threshold,
} from '../../ops/activation.ts';
import type { Generator } from '../../random/generator.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py, pyFloat } from '../repr.ts';
import { constant_ } from '../init.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkNumber, checkOptionValues } from '../../options/check-values.ts';

/** scale x for x > 0, else scale 1.6733 (exp(x) - 1) with scale 1.0507, as torch.nn.SELU. */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return selu(x);
  }
}

/** x tanh(softplus(x)), as torch.nn.Mish. */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return mish(x);
  }
}

/** min(max(0, x), 6), as torch.nn.ReLU6. */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
}

/** x relu6(x + 3) / 6, as torch.nn.Hardswish. */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return hardswish(x);
  }
}

/** relu6(x + 3) / 6, as torch.nn.Hardsigmoid. */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return hardsigmoid(x);
  }
}

/** log(sigmoid(x)), computed stably, as torch.nn.LogSigmoid. */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return logsigmoid(x);
  }
}

/** x / (1 + |x|), as torch.nn.Softsign. */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return softsign(x);
  }
}

/** x - tanh(x), as torch.nn.Tanhshrink. */
export class Tanhshrink extends Module {
  forward(x: Tensor): Tensor {
    return tanhshrink(x);
  }
}

/** x for x > 0, else alpha (exp(x) - 1), as torch.nn.ELU. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    checkNumber('ELU', 'alpha', alpha);
    super();
  }

  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** max(0, x) + min(0, alpha (exp(x / alpha) - 1)), as torch.nn.CELU. */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    checkNumber('CELU', 'alpha', alpha);
    // PyTorch finds this only in the forward.
    if (alpha === 0) throw new RangeError('CELU(): ZeroDivisionError: alpha cannot be 0 for CELU');
    super();
  }

  forward(x: Tensor): Tensor {
    return celu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** Clamps into [minVal, maxVal] (default [-1, 1]), as torch.nn.Hardtanh. */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    checkNumber('Hardtanh', 'min_val', minVal);
    checkNumber('Hardtanh', 'max_val', maxVal);
    super();
    if (!(maxVal > minVal)) throw new RangeError('Hardtanh(): AssertionError: max_val must be greater than min_val');
  }

  forward(x: Tensor): Tensor {
    return hardtanh(x, this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** x - lambd above lambd, x + lambd below -lambd, 0 between, as torch.nn.Softshrink. */
export class Softshrink extends Module {
  constructor(readonly lambd = 0.5) {
    checkNumber('Softshrink', 'lambd', lambd);
    assertLambda('Softshrink', lambd);
    super();
  }

  forward(x: Tensor): Tensor {
    return softshrink(x, this.lambd);
  }

  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** x where |x| > lambd, else 0, as torch.nn.Hardshrink. */
export class Hardshrink extends Module {
  constructor(readonly lambd = 0.5) {
    checkNumber('Hardshrink', 'lambd', lambd);
    super();
  }

  forward(x: Tensor): Tensor {
    return hardshrink(x, this.lambd);
  }

  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** x where x > threshold, else value, as torch.nn.Threshold. */
export class Threshold extends Module {
  constructor(
    readonly threshold: number,
    readonly value: number,
  ) {
    checkNumber('Threshold', 'threshold', threshold);
    checkNumber('Threshold', 'value', value);
    super();
  }

  forward(x: Tensor): Tensor {
    return threshold(x, this.threshold, this.value);
  }

  override extraRepr(): string {
    return `threshold=${py(this.threshold)}, value=${py(this.value)}`;
  }
}

/**
 * x for x > 0, else a learned slope times x, as torch.nn.PReLU: `numParameters` slopes, 1 shared
 * or one per channel (dim 1 of the input), each starting at `init`.
 * @example new nn.PReLU(16) // after a 16-channel convolution
 */
export class PReLU extends Module {
  weight: Parameter;

  constructor(
    readonly numParameters = 1,
    readonly init = 0.25,
  ) {
    checkInteger('PReLU', 'num_parameters', numParameters, 1);
    checkNumber('PReLU', 'init', init);
    super();
    this.weight = parameter(this, [numParameters], (t) => constant_(t, init));
  }

  /** Sets every slope back to `init`. */
  resetParameters(): void {
    constant_(this.weight, this.init);
  }

  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }

  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

export interface RReLUOptions {
  /** The source of the random slopes (the global generator by default). */
  generator?: Generator;
}

const RRELU_MODULE_OPTIONS: OptionKeys<RReLUOptions> = { generator: true };

/**
 * Randomised leaky ReLU, as torch.nn.RReLU: in training negative inputs are scaled by a slope drawn
 * from U(lower, upper) per element; in evaluation by the mean slope (lower + upper) / 2.
 */
export class RReLU extends Module {
  constructor(
    readonly lower = 1 / 8,
    readonly upper = 1 / 3,
    readonly options: RReLUOptions = {},
  ) {
    checkNumber('RReLU', 'lower', lower);
    checkNumber('RReLU', 'upper', upper);
    checkOptions('RReLU', options, RRELU_MODULE_OPTIONS);
    checkOptionValues('RReLU', options, { generator: 'Generator' });
    super();
    if (!(lower <= upper)) throw new RangeError(`RReLU(): Lower bound should be less than or equal to the upper bound, got lower=${lower}, upper=${upper}`);
  }

  forward(x: Tensor): Tensor {
    return rrelu(x, { lower: this.lower, upper: this.upper, training: this.training, generator: this.options.generator });
  }

  override extraRepr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}`;
  }
}

/** a sigmoid(b) for a and b the halves of the input along `dim` (default -1), as torch.nn.GLU. */
export class GLU extends Module {
  constructor(readonly dim = -1) {
    checkInteger('GLU', 'dim', dim);
    super();
  }

  forward(x: Tensor): Tensor {
    return glu(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** softmax(-x) along `dim`, as torch.nn.Softmin. */
export class Softmin extends Module {
  constructor(readonly dim: number) {
    checkInteger('Softmin', 'dim', dim);
    super();
  }

  forward(x: Tensor): Tensor {
    return softmin(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(1 + exp(beta x)) / beta, linear above beta x > threshold, as torch.nn.Softplus. */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    checkNumber('Softplus', 'beta', beta);
    checkNumber('Softplus', 'threshold', threshold);
    super();
  }

  forward(x: Tensor): Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }

  override extraRepr(): string {
    return `beta=${py(this.beta)}, threshold=${py(this.threshold)}`;
  }
}

/** Softmax over the channels of x [N, C, H, W] or [C, H, W] at each position, as torch.nn.Softmax2d. */
export class Softmax2d extends Module {
  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`Softmax2d(): Softmax2d requires a 3D or 4D tensor as input, got ${x.ndim}D input`);
    return softmax(x, -3);
  }
}
