/** Classification losses: negative log likelihood and cross entropy (class indices or probabilities). */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { add, div, mul, neg, where } from '../../ops/elementwise.ts';
import { eq, logicalNot } from '../../ops/compare.ts';
import { sum } from '../../ops/reduce.ts';
import { logSoftmax } from '../../ops/softmax.ts';
import { gather, indexSelect } from '../../ops/indexing.ts';
import { cast } from '../../ops/cast.ts';
import { backendOf } from '../../ops/kernel.ts';
import { reshape, squeeze, unsqueeze } from '../../ops/view.ts';
import { classCrossEntropy } from './class-cross-entropy.ts';
import { Loss, REDUCTION_OPTIONS, checkReduction, reduce, type Reduction, type ReductionOptions } from './reduction.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

export interface NLLLossOptions extends ReductionOptions {
  /** A weight per class [C]; 'mean' then divides by the summed weights of the targets. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing, to the loss or to the mean's divisor (-100 by default). */
  ignoreIndex?: number;
}

const NLL_LOSS_OPTIONS: OptionKeys<NLLLossOptions> = { ...REDUCTION_OPTIONS, weight: true, ignoreIndex: true };

export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 - s) * target + s / C (0 by default). */
  labelSmoothing?: number;
}

const CROSS_ENTROPY_OPTIONS: OptionKeys<CrossEntropyOptions> = { ...NLL_LOSS_OPTIONS, labelSmoothing: true };

/** The class dim of input [C] (unbatched), [N, C] or [N, C, d1, ...]. */
const classDim = (input: Tensor): number => (input.ndim === 1 ? 0 : 1);

/** `w` [C] viewed to broadcast along the class dim of `input`. */
const perClass = (w: Tensor, input: Tensor): Tensor => reshape(w, input.shape.map((d, i) => (i === classDim(input) ? d : 1)));

function checkWeight(op: string, input: Tensor, weight: Tensor | null | undefined): void {
  const c = input.shape[classDim(input)];
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== c)) {
    throw new RangeError(`${op}(): weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`);
  }
}

function checkClassTarget(op: string, input: Tensor, target: Tensor): void {
  if (input.ndim === 0) throw new RangeError(`${op}(): input tensor should be 1D or more, got a scalar`);
  if (target.dtype !== 'int32') throw new TypeError(`${op}(): expected class indices of dtype int32 as the target, got ${target.dtype}`);
  const expected = input.shape.filter((_, i) => i !== classDim(input));
  if (shapeEquals(target.shape, expected)) return;
  if (input.ndim === 2 && target.ndim === 1) throw new RangeError(`${op}(): Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  throw new RangeError(`${op}(): Expected target size ${formatShape(expected)}, got ${formatShape(target.shape)}`);
}

/**
 * The per-element losses -w[t] * logp[t] and their weights w[t] (1 without class weights), both 0
 * where the target is ignored.
 */
function nllTerms(logp: Tensor, target: Tensor, options: NLLLossOptions): { loss: Tensor; weights: Tensor } {
  const d = classDim(logp);
  const ignored = eq(target, options.ignoreIndex ?? -100);
  // Ignored targets may be out of range (-100): point them at class 0, then zero their weight.
  const safe = where(ignored, 0, target);
  const picked = squeeze(gather(logp, d, unsqueeze(safe, d)), d);
  const kept = cast(logicalNot(ignored), 'float32');
  const weights = options.weight ? mul(reshape(indexSelect(options.weight, 0, reshape(safe, [-1])), target.shape), kept) : kept;
  return { loss: neg(mul(picked, weights)), weights };
}

/** Reduces per-element losses; 'mean' divides by the summed weights, PyTorch's weighted mean. */
function reduceWeighted(op: string, loss: Tensor, weights: Tensor, reduction: Reduction = 'mean'): Tensor {
  const r = checkReduction(op, reduction);
  return r === 'mean' ? div(sum(loss), sum(weights)) : r === 'sum' ? sum(loss) : loss;
}

/**
 * Negative log likelihood of log-probabilities `input` [N, C] (or [N, C, d1, ...], or [C]) at the
 * int32 class indices `target` [N] ([N, d1, ...], or []), as torch.nn.functional.nll_loss.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  checkOptions('nllLoss', options, NLL_LOSS_OPTIONS);
  backendOf('nllLoss', input, target, options.weight);
  checkClassTarget('nllLoss', input, target);
  checkWeight('nllLoss', input, options.weight);
  return tidy(() => {
    const { loss, weights } = nllTerms(input, target, options);
    return reduceWeighted('nllLoss', loss, weights, options.reduction);
  });
}

/**
 * Cross entropy of logits `input` [N, C] (or [N, C, d1, ...], or [C]), as
 * torch.nn.functional.cross_entropy. `target` is either int32 class indices shaped like the input
 * without its class dim, or float class probabilities shaped like the input.
 * @example nn.functional.crossEntropy(logits, labels, { labelSmoothing: 0.1 })
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkOptions('crossEntropy', options, CROSS_ENTROPY_OPTIONS);
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) throw new RangeError(`crossEntropy(): label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
  backendOf('crossEntropy', input, target, options.weight);
  if (target.dtype === 'float32') return probabilityCrossEntropy(input, target, options);
  checkClassTarget('crossEntropy', input, target);
  checkWeight('crossEntropy', input, options.weight);
  const reduction = checkReduction('crossEntropy', options.reduction ?? 'mean');
  return tidy(() => {
    const d = classDim(input);
    if (smoothing === 0 && !options.weight) return classCrossEntropy(input, target, d, options.ignoreIndex ?? -100, reduction);
    const logp = logSoftmax(input, d);
    const { loss, weights } = nllTerms(logp, target, options);
    if (smoothing === 0) return reduceWeighted('crossEntropy', loss, weights, reduction);
    // The uniform part: -sum_c w_c logp_c, zero where ignored; both parts share the weighted mean's divisor.
    const weighted = options.weight ? mul(logp, perClass(options.weight, input)) : logp;
    const uniform = where(eq(target, options.ignoreIndex ?? -100), 0, neg(sum(weighted, d)));
    const mixed = add(mul(loss, 1 - smoothing), mul(uniform, smoothing / input.shape[d]!));
    return reduceWeighted('crossEntropy', mixed, weights, reduction);
  });
}

/** Cross entropy against class probabilities; 'mean' averages over the N * d1 * ... positions. */
function probabilityCrossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions): Tensor {
  if (!shapeEquals(input.shape, target.shape)) {
    // Shaped like class indices: float labels, which PyTorch rejects as the wrong scalar type.
    const hint = input.ndim > 0 && shapeEquals(target.shape, input.shape.filter((_, i) => i !== classDim(input)))
      ? '; class indices must be int32: convert the labels with target.int()'
      : '';
    throw new RangeError(`crossEntropy(): Expected target size ${formatShape(input.shape)}, got ${formatShape(target.shape)}${hint}`);
  }
  checkWeight('crossEntropy', input, options.weight);
  return tidy(() => {
    const d = classDim(input);
    const classes = input.shape[d]!;
    const smoothing = options.labelSmoothing ?? 0;
    const probs = smoothing > 0 ? add(mul(target, 1 - smoothing), smoothing / classes) : target;
    const logp = logSoftmax(input, d);
    const weighted = options.weight ? mul(logp, perClass(options.weight, input)) : logp;
    return reduce('crossEntropy', neg(sum(mul(weighted, probs), d)), options.reduction);
  });
}

/** {@link nllLoss} as a module; a class weight becomes the `weight` buffer. */
export class NLLLoss extends Loss<NLLLossOptions> {
  static override readonly optionKeys = NLL_LOSS_OPTIONS;
  static override readonly optionKinds = { ignoreIndex: 'integer' } as const;
  declare weight: Tensor | null;

  constructor(options: NLLLossOptions = {}) {
    super({ ...NLLLoss.checked(options), weight: null });
    this.weightBuffer('weight', options.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { ...this.options, weight: this.weight });
  }
}

/**
 * {@link crossEntropy} as a module; a class weight becomes the `weight` buffer.
 * @example const loss = new nn.CrossEntropyLoss({ ignoreIndex: 0 }).forward(logits, labels);
 */
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  static override readonly optionKeys = CROSS_ENTROPY_OPTIONS;
  static override readonly optionKinds = { ignoreIndex: 'integer', labelSmoothing: 'probability' } as const;
  declare weight: Tensor | null;

  constructor(options: CrossEntropyOptions = {}) {
    super({ ...CrossEntropyLoss.checked(options), weight: null });
    this.weightBuffer('weight', options.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { ...this.options, weight: this.weight });
  }
}
