/**
 * Probability distributions as reinforcement-learning and language-model programs use them
 * (PyTorch's torch.distributions): `sample` (no gradient), `rsample` where the sample is
 * reparameterisable, `logProb` and `entropy`, all broadcasting over a batch of parameters.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { add, clamp, div, log, mul, neg, softplus, sub } from '../ops/elementwise.ts';
import { castTo } from '../ops/cast.ts';
import { sum } from '../ops/reduce.ts';
import { logSoftmax, softmax } from '../ops/softmax.ts';
import { expand, reshape, squeeze, transpose, unsqueeze } from '../ops/view.ts';
import { gather } from '../ops/indexing.ts';
import { SAMPLING_OPTIONS, bernoulli, multinomial, normal, type SamplingOptions } from '../ops/sampling.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkParameter, nonNegative, positive, real, unitInterval, validating, type Constraint } from './validation.ts';

/** float32's machine epsilon, PyTorch's clamp for probabilities turned into logits. */
const float32Eps = 1.1920928955078125e-7;
const asTensor = (v: Tensor | number, like?: Tensor): Tensor => (typeof v === 'number' ? tensor(v, { dtype: 'float32', device: like?.device }) : v);
const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Options every distribution takes. */
export interface DistributionOptions {
  /**
   * Check that each parameter lies in its support (default true, as in PyTorch); tensor
   * parameters are checked on backends that read synchronously (cpu-js, wasm-simd) only.
   */
  validateArgs?: boolean;
}

const DISTRIBUTION_OPTIONS: OptionKeys<DistributionOptions> = { validateArgs: true };

/** A distribution's parameters: exactly one of `probs` and `logits`, as PyTorch requires. */
export interface ProbsOrLogits<T> extends DistributionOptions {
  probs?: T;
  logits?: T;
}

const PROBS_OR_LOGITS: OptionKeys<ProbsOrLogits<unknown>> = { probs: true, logits: true, ...DISTRIBUTION_OPTIONS };

/**
 * Throws unless `params` sets exactly one of `probs` and `logits`, and nothing else, and that one
 * is a valid parameter (`probs` in `support`, `logits` real); a number only where `numbers`.
 */
function oneOf(name: string, params: ProbsOrLogits<Tensor | number>, support: Constraint, numbers: boolean): void {
  checkOptions(name, params, PROBS_OR_LOGITS);
  if ((params?.probs === undefined) === (params?.logits === undefined)) throw new Error(`${name}(): Either \`probs\` or \`logits\` must be specified, but not both.`);
  const validate = validating(name, params.validateArgs);
  if (params.probs !== undefined) checkParameter(name, 'probs', params.probs, support, validate, numbers);
  else checkParameter(name, 'logits', params.logits, real, validate, numbers);
}

/** A categorical distribution over the last dim of `probs` (unnormalised weights) or `logits`. */
export class Categorical {
  /** Normalised log-probabilities, [...batch, categories]. */
  readonly logits: Tensor;
  readonly probs: Tensor;

  constructor(params: ProbsOrLogits<Tensor>) {
    oneOf('Categorical', params, nonNegative, false);
    if (params.logits) {
      this.logits = logSoftmax(params.logits, -1);
      this.probs = softmax(params.logits, -1);
    } else {
      this.probs = tidy(() => div(params.probs!, sum(params.probs!, -1, true)));
      // As PyTorch: a zero probability's logit is log(eps), finite, so that 0 * logit is 0.
      this.logits = tidy(() => log(clamp(this.probs, float32Eps, 1 - float32Eps)));
    }
  }

  get batchShape(): readonly number[] {
    return this.probs.shape.slice(0, -1);
  }

  /** Category indices (int32) of shape [...sampleShape, ...batchShape]. */
  sample(sampleShape: readonly number[] = [], options: SamplingOptions = {}): Tensor {
    checkOptions('Categorical.sample', options, SAMPLING_OPTIONS);
    return noGrad(() =>
      tidy(() => {
        const n = count(sampleShape);
        const rows = reshape(this.probs, [-1, this.probs.shape.at(-1)!]);
        const drawn = multinomial(rows, n, { replacement: true, generator: options.generator });
        return reshape(transpose(drawn, 0, 1), [...sampleShape, ...this.batchShape]);
      }),
    );
  }

  /** log p(value) for int32 category indices broadcastable to the batch shape. */
  logProb(value: Tensor): Tensor {
    return tidy(() => {
      const k = this.logits.shape.at(-1)!;
      const shape = [...(value.ndim >= this.batchShape.length ? value.shape : this.batchShape), k];
      const index = unsqueeze(castTo(value, 'int32'), -1);
      const logits = expand(this.logits, shape);
      return squeeze(gather(logits, -1, expand(index, [...shape.slice(0, -1), 1])), -1);
    });
  }

  /** -sum p log p, with 0 log 0 = 0 (PyTorch's clamp of the logits to the float32 range). */
  entropy(): Tensor {
    return tidy(() => neg(sum(mul(clamp(this.logits, -3.4028234663852886e38), this.probs), -1)));
  }
}

/** A normal distribution with mean `loc` and standard deviation `scale`. */
export class Normal {
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: Tensor | number, scale: Tensor | number, options: DistributionOptions = {}) {
    checkOptions('Normal', options, DISTRIBUTION_OPTIONS);
    const validate = validating('Normal', options.validateArgs);
    checkParameter('Normal', 'loc', loc, real, validate, true);
    checkParameter('Normal', 'scale', scale, positive, validate, true);
    this.loc = asTensor(loc, typeof scale === 'number' ? undefined : scale);
    this.scale = asTensor(scale, this.loc);
  }

  get mean(): Tensor { return this.loc; }
  get stddev(): Tensor { return this.scale; }

  /** Samples of shape [...sampleShape, ...batchShape], differentiable in loc and scale. */
  rsample(sampleShape: readonly number[] = [], options: SamplingOptions = {}): Tensor {
    checkOptions('Normal.rsample', options, SAMPLING_OPTIONS);
    const batch = [...this.loc.shape.length >= this.scale.shape.length ? this.loc.shape : this.scale.shape];
    return normal(this.loc, this.scale, { size: [...sampleShape, ...batch], generator: options.generator });
  }

  sample(sampleShape: readonly number[] = [], options: SamplingOptions = {}): Tensor {
    checkOptions('Normal.sample', options, SAMPLING_OPTIONS);
    return noGrad(() => this.rsample(sampleShape, options));
  }

  logProb(value: Tensor | number): Tensor {
    return tidy(() => {
      const z = div(sub(value, this.loc), this.scale);
      return sub(mul(mul(z, z), -0.5), add(log(this.scale), 0.5 * Math.log(2 * Math.PI)));
    });
  }

  entropy(): Tensor {
    return tidy(() => add(log(this.scale), 0.5 + 0.5 * Math.log(2 * Math.PI)));
  }
}

/** A Bernoulli distribution over {0, 1} with success probability `probs` (or `logits`). */
export class Bernoulli {
  readonly probs: Tensor;
  readonly logits: Tensor;

  constructor(params: ProbsOrLogits<Tensor | number>) {
    oneOf('Bernoulli', params, unitInterval, true);
    if (params.probs !== undefined) {
      this.probs = asTensor(params.probs);
      // PyTorch clamps to the float32 range so that p = 0 or 1 give finite logits.
      this.logits = tidy(() => {
        const p = clamp(this.probs, float32Eps, 1 - float32Eps);
        return sub(log(p), log(sub(1, p)));
      });
    } else {
      this.logits = asTensor(params.logits!);
      this.probs = this.logits.sigmoid();
    }
  }

  sample(sampleShape: readonly number[] = [], options: SamplingOptions = {}): Tensor {
    checkOptions('Bernoulli.sample', options, SAMPLING_OPTIONS);
    return noGrad(() => tidy(() => bernoulli(expand(this.probs, [...sampleShape, ...this.probs.shape]), options)));
  }

  /** log p(value) = value * logits - softplus(logits), without overflow. */
  logProb(value: Tensor | number): Tensor {
    return tidy(() => sub(mul(value, this.logits), softplus(this.logits)));
  }

  entropy(): Tensor {
    return tidy(() => sub(softplus(this.logits), mul(this.probs, this.logits)));
  }
}
