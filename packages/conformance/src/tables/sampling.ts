/** How each op of fixtures/sampling.json runs in flint: the distributions' logProb and entropy. */
import * as flint from '@flint/core';
import type { OpFn } from './ops.ts';

const { Bernoulli, Categorical, Normal } = flint.distributions;

export const samplingTable: Record<string, OpFn> = {
  categoricalLogProb: ([l, v]) => new Categorical({ logits: l! }).logProb(v!),
  categoricalEntropy: ([l]) => new Categorical({ logits: l! }).entropy(),
  categoricalProbsLogProb: ([p, v]) => new Categorical({ probs: p! }).logProb(v!),
  categoricalProbsEntropy: ([p]) => new Categorical({ probs: p! }).entropy(),
  normalLogProb: ([m, s, v]) => new Normal(m!, s!).logProb(v!),
  normalEntropy: ([m, s]) => new Normal(m!, s!).entropy(),
  bernoulliLogProb: ([l, v]) => new Bernoulli({ logits: l! }).logProb(v!),
  bernoulliEntropy: ([l]) => new Bernoulli({ logits: l! }).entropy(),
  bernoulliProbsLogProb: ([p, v]) => new Bernoulli({ probs: p! }).logProb(v!),
};
