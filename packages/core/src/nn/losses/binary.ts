/** Binary cross entropy, on probabilities and (stably) on logits. */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { backendOf, record } from '../../ops/kernel.ts';
import { add, clamp, div, log, mul, neg, softplus, sub } from '../../ops/elementwise.ts';
import { ge, le, logicalAnd, logicalNot } from '../../ops/compare.ts';
import { Loss, REDUCTION_OPTIONS, reduce, type ReductionOptions } from './reduction.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export interface BCEOptions extends ReductionOptions {
  /** Multiplies each element's loss (broadcast to the input). */
  weight?: Tensor | null;
}

const BCE_OPTIONS: OptionKeys<BCEOptions> = { ...REDUCTION_OPTIONS, weight: true };

export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive term per class (broadcast along the last dim), to trade recall for precision. */
  posWeight?: Tensor | null;
}

const BCE_WITH_LOGITS_OPTIONS: OptionKeys<BCEWithLogitsOptions> = { ...BCE_OPTIONS, posWeight: true };

function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (!shapeEquals(input.shape, target.shape)) {
    throw new RangeError(`${op}(): Using a target size (${formatShape(target.shape)}) that is different to the input size (${formatShape(input.shape)}) is not supported. Please ensure they have the same size.`);
  }
}

/** log(x) clamped to >= -100, as PyTorch does so that a 0 probability costs 100 rather than infinity. */
const clampedLog = (x: Tensor): Tensor => clamp(log(x), -100);

/**
 * -(t log x + (1 - t) log(1 - x)) elementwise, with PyTorch's gradients: (x - t) / max(x (1 - x), 1e-12)
 * for x, finite where x is exactly 0 or 1, and -logit(x) (unclamped) for t.
 */
function bceElementwise(x: Tensor, t: Tensor): Tensor {
  const out = tidy(() => noGrad(() => neg(add(mul(t, clampedLog(x)), mul(sub(1, t), clampedLog(sub(1, x)))))));
  return record('BinaryCrossEntropyBackward', out, [x, t], [x, t], (g) => [
    x.requiresGrad ? mul(g, div(sub(x, t), clamp(mul(x, sub(1, x)), 1e-12))) : null,
    t.requiresGrad ? mul(g, sub(log(sub(1, x)), log(x))) : null,
  ]);
}

/**
 * PyTorch's check that every probability lies in [0, 1] (NaN does not), made where the backend
 * reads the verdict synchronously: a backend that cannot (webgpu) would have to stall its queue
 * for it, so there the check is skipped.
 */
function checkProbabilities(op: string, input: Tensor): void {
  if (!input.backend.readSync) return;
  const outside = tidy(() => noGrad(() => logicalNot(logicalAnd(ge(input, 0), le(input, 1))).any().itemSync()));
  if (outside) throw new RangeError(`${op}(): all elements of input should be between 0 and 1`);
}

/**
 * Binary cross entropy of probabilities `input` against `target` of the same shape, as
 * torch.nn.functional.binary_cross_entropy. An input outside [0, 1] (or NaN) throws on backends
 * that read synchronously (cpu-js, wasm-simd); on webgpu it is not checked and gives NaN.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy', options, BCE_OPTIONS);
  backendOf('binaryCrossEntropy', input, target, options.weight);
  checkSameShape('binaryCrossEntropy', input, target);
  checkProbabilities('binaryCrossEntropy', input);
  return tidy(() => {
    const loss = bceElementwise(input, target);
    return reduce('binaryCrossEntropy', options.weight ? mul(loss, options.weight) : loss, options.reduction);
  });
}

/**
 * Binary cross entropy of logits, as torch.nn.functional.binary_cross_entropy_with_logits:
 * (1 - t) x + (1 + (posWeight - 1) t) softplus(-x), stable for any x.
 * @example nn.functional.binaryCrossEntropyWithLogits(logits, labels, { posWeight: flint.tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  checkTensors('binaryCrossEntropyWithLogits', [input, target]);
  checkOptions('binaryCrossEntropyWithLogits', options, BCE_WITH_LOGITS_OPTIONS);
  if (!shapeEquals(input.shape, target.shape)) {
    throw new RangeError(`binaryCrossEntropyWithLogits(): Target size (${formatShape(target.shape)}) must be the same as input size (${formatShape(input.shape)})`);
  }
  return tidy(() => {
    const negativeLogSigmoid = softplus(neg(input));
    const positive = options.posWeight ? mul(add(mul(sub(options.posWeight, 1), target), 1), negativeLogSigmoid) : negativeLogSigmoid;
    const loss = add(mul(sub(1, target), input), positive);
    return reduce('binaryCrossEntropyWithLogits', options.weight ? mul(loss, options.weight) : loss, options.reduction);
  });
}

/** {@link binaryCrossEntropy} as a module; a weight becomes the `weight` buffer. */
export class BCELoss extends Loss<BCEOptions> {
  static override readonly optionKeys = BCE_OPTIONS;
  declare weight: Tensor | null;

  constructor(options: BCEOptions = {}) {
    super({ ...BCELoss.checked(options), weight: null });
    this.weightBuffer('weight', options.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { ...this.options, weight: this.weight });
  }
}

/** {@link binaryCrossEntropyWithLogits} as a module; weights become the `weight` and `pos_weight` buffers. */
export class BCEWithLogitsLoss extends Loss<BCEWithLogitsOptions> {
  static override readonly optionKeys = BCE_WITH_LOGITS_OPTIONS;
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;

  constructor(options: BCEWithLogitsOptions = {}) {
    super({ ...BCEWithLogitsLoss.checked(options), weight: null, posWeight: null });
    this.weightBuffer('weight', options.weight);
    this.weightBuffer('posWeight', options.posWeight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { ...this.options, weight: this.weight, posWeight: this.posWeight });
  }
}
