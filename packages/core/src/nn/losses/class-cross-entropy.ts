/**
 * Cross entropy of logits against class indices as one graph node, PyTorch's fused
 * log_softmax + nll_loss: forward log-softmax, pick, reduce; backward (softmax - onehot) * scale.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { isGradEnabled, withGradMode } from '../../autograd/mode.ts';
import { record } from '../../ops/kernel.ts';
import { div, exp, mul, neg, where } from '../../ops/elementwise.ts';
import { ne } from '../../ops/compare.ts';
import { castTo } from '../../ops/cast.ts';
import { sum } from '../../ops/reduce.ts';
import { logSoftmax, softmax } from '../../ops/softmax.ts';
import { gatherValid, scatterAddValid } from '../../ops/indexing.ts';
import { expand, squeeze, unsqueeze } from '../../ops/view.ts';
import type { Reduction } from './reduction.ts';

/**
 * How many targets equal `ignoreIndex`, after checking the others name a class: one host read
 * where the backend reads synchronously, else `undefined` (counted on the device instead).
 */
function countIgnored(target: Tensor, classes: number, ignoreIndex: number): number | undefined {
  if (!target.backend.readSync) return undefined;
  let ignored = 0;
  for (const t of target.dataSync()) {
    if (t === ignoreIndex) ignored++;
    else if (t < 0 || t >= classes) throw new RangeError(`crossEntropy(): Target ${t} is out of bounds.`);
  }
  return ignored;
}

/** The gather index (target unsqueezed at `d`), the kept-target weights (null: all kept) and the mean's divisor. */
function plan(target: Tensor, d: number, classes: number, ignoreIndex: number): { index: Tensor; kept: Tensor | null; count: Tensor | number } {
  const ignored = countIgnored(target, classes, ignoreIndex);
  if (ignored === 0) return { index: unsqueeze(target, d), kept: null, count: target.size };
  const keep = ne(target, ignoreIndex);
  // Ignored targets may lie outside [0, classes) (-100): point them at class 0; their weight is 0.
  const index = unsqueeze(where(keep, target, 0), d);
  const kept = castTo(keep, 'float32');
  return { index, kept, count: ignored === undefined ? sum(kept) : target.size - ignored };
}

/**
 * Cross entropy of logits `input` (class dim `d`) at valid int32 class indices `target`; call
 * inside a scope (intermediates are left for it to free).
 */
export function classCrossEntropy(input: Tensor, target: Tensor, d: number, ignoreIndex: number, reduction: Reduction): Tensor {
  const { index, kept, count } = plan(target, d, input.shape[d]!, ignoreIndex);
  const logp = withGradMode(false, () => logSoftmax(input, d));
  const out = withGradMode(false, () => {
    const picked = squeeze(gatherValid(logp, d, index), d);
    const terms = kept ? mul(picked, kept) : picked;
    if (reduction === 'none') return neg(terms);
    const total = sum(terms);
    return reduction === 'sum' ? neg(total) : typeof count === 'number' ? mul(total, -1 / count) : neg(div(total, count));
  });
  const saved = [input, logp, index, ...(kept ? [kept] : []), ...(typeof count === 'number' ? [] : [count])];
  return record('CrossEntropyLossBackward', out, [input, target], saved, (g) => {
    // d loss / d input = (softmax - onehot) * s, with s the weight each element's loss carries.
    const perLoss = reduction === 'mean' ? div(g, count) : g;
    const weighted = kept ? mul(perLoss, kept) : perLoss;
    const s = weighted.ndim === 0 ? weighted : unsqueeze(weighted, d);
    // Under createGraph the softmax must come from input itself to carry second derivatives.
    const probs = isGradEnabled() ? softmax(input, d) : exp(logp);
    return [scatterAddValid(mul(probs, s), d, index, neg(expand(s, index.shape))), null];
  });
}
