/**
 * nanoGPT's model (Karpathy, model.py) in flint: token and position embeddings, pre-LayerNorm
 * blocks of causal self-attention and a GELU MLP, a final LayerNorm and a language-model head tied
 * to the token embedding. Module and parameter names follow nanoGPT, so its state-dict keys
 * (`transformer.h.0.attn.c_attn.weight`, ...) are the same.
 */
import * as flint from '@flint/core';

const { nn } = flint;
const F = flint.nn.functional;

/** nanoGPT's GPTConfig. */
export interface GPTConfig {
  /** The longest context the model sees (position embeddings). */
  blockSize: number;
  vocabSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  dropout: number;
  /** Biases in the Linear layers and LayerNorms. */
  bias: boolean;
}

/** Multi-head attention in which each position attends only to itself and earlier positions. */
class CausalSelfAttention extends nn.Module {
  cAttn: flint.nn.Linear;
  cProj: flint.nn.Linear;
  residDropout: flint.nn.Dropout;

  constructor(readonly config: GPTConfig) {
    super();
    if (config.nEmbd % config.nHead !== 0) throw new RangeError(`GPT: nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
    this.cAttn = new nn.Linear(config.nEmbd, 3 * config.nEmbd, { bias: config.bias });
    this.cProj = new nn.Linear(config.nEmbd, config.nEmbd, { bias: config.bias });
    this.residDropout = new nn.Dropout(config.dropout);
  }

  forward(x: flint.Tensor): flint.Tensor {
    const [b, t, c] = x.shape as [number, number, number];
    const h = this.config.nHead;
    // [B, T, 3C] -> three [B, nh, T, hs] views.
    const [q, k, v] = flint.split(this.cAttn.forward(x), c, 2).map((part) => part.view(b, t, h, c / h).transpose(1, 2)) as [flint.Tensor, flint.Tensor, flint.Tensor];
    const y = F.scaledDotProductAttention(q, k, v, { isCausal: true, dropoutP: this.training ? this.config.dropout : 0 });
    return this.residDropout.forward(this.cProj.forward(y.transpose(1, 2).contiguous().view(b, t, c)));
  }
}

/** Position-wise feed-forward: 4x expansion, exact GELU, projection back. */
class MLP extends nn.Module {
  cFc: flint.nn.Linear;
  gelu = new nn.GELU();
  cProj: flint.nn.Linear;
  dropout: flint.nn.Dropout;

  constructor(config: GPTConfig) {
    super();
    this.cFc = new nn.Linear(config.nEmbd, 4 * config.nEmbd, { bias: config.bias });
    this.cProj = new nn.Linear(4 * config.nEmbd, config.nEmbd, { bias: config.bias });
    this.dropout = new nn.Dropout(config.dropout);
  }

  forward(x: flint.Tensor): flint.Tensor {
    return this.dropout.forward(this.cProj.forward(this.gelu.forward(this.cFc.forward(x))));
  }
}

/** x + attn(ln_1(x)), then + mlp(ln_2(x)). */
class Block extends nn.Module {
  // snake_case so the state-dict keys are nanoGPT's `ln_1` and `ln_2` (camelCase cannot spell them).
  ln_1: flint.nn.LayerNorm;
  attn: CausalSelfAttention;
  ln_2: flint.nn.LayerNorm;
  mlp: MLP;

  constructor(config: GPTConfig) {
    super();
    this.ln_1 = new nn.LayerNorm(config.nEmbd, { bias: config.bias });
    this.attn = new CausalSelfAttention(config);
    this.ln_2 = new nn.LayerNorm(config.nEmbd, { bias: config.bias });
    this.mlp = new MLP(config);
  }

  forward(x: flint.Tensor): flint.Tensor {
    const attended = x.add(this.attn.forward(this.ln_1.forward(x)));
    return attended.add(this.mlp.forward(this.ln_2.forward(attended)));
  }
}

/** What `generate` accepts besides the prompt. */
export interface GenerateOptions {
  /** Divides the logits: below 1 sharpens the distribution, above 1 flattens it (default 1). */
  temperature?: number;
  /** Sample only among the k most likely characters (default: all). */
  topK?: number;
  generator?: flint.Generator;
}

/** The character transformer. `forward(idx, targets?)` returns the logits and, with targets, the mean cross-entropy. */
export class GPT extends nn.Module {
  transformer: flint.nn.ModuleDict;
  lmHead: flint.nn.Linear;

  constructor(readonly config: GPTConfig) {
    super();
    this.transformer = new nn.ModuleDict({
      wte: new nn.Embedding(config.vocabSize, config.nEmbd),
      wpe: new nn.Embedding(config.blockSize, config.nEmbd),
      drop: new nn.Dropout(config.dropout),
      h: new nn.ModuleList(Array.from({ length: config.nLayer }, () => new Block(config))),
      ln_f: new nn.LayerNorm(config.nEmbd, { bias: config.bias }),
    });
    this.lmHead = new nn.Linear(config.nEmbd, config.vocabSize, { bias: false });
    // Weight tying: the head reads out through the token embedding (both state-dict keys stay, as in PyTorch).
    this.lmHead.weight.dispose();
    this.lmHead.weight = this.#part<flint.nn.Embedding>('wte').weight;
    this.#initWeights();
  }

  #part<M extends flint.nn.Module>(name: string): M {
    return this.transformer.get(name) as M;
  }

  /** nanoGPT's init: N(0, 0.02) weights, zero biases, residual projections scaled by 1/sqrt(2 nLayer). */
  #initWeights(): void {
    flint.noGrad(() => {
      for (const module of this.modules()) {
        if (module instanceof nn.Linear) {
          nn.init.normal_(module.weight, 0, 0.02);
          if (module.bias) nn.init.zeros_(module.bias);
        } else if (module instanceof nn.Embedding) nn.init.normal_(module.weight, 0, 0.02);
      }
      for (const [name, p] of this.namedParameters()) {
        if (name.endsWith('c_proj.weight')) nn.init.normal_(p, 0, 0.02 / Math.sqrt(2 * this.config.nLayer));
      }
    });
  }

  /** Parameters not counting the position embedding, as nanoGPT reports. */
  numParams(): number {
    const wpe = this.#part<flint.nn.Embedding>('wpe').weight;
    return this.parameters().reduce((n, p) => (p === wpe ? n : n + p.numel()), 0);
  }

  /** idx [B, T] int32 -> logits [B, T, vocab]; with targets [B, T] also the mean loss. */
  forward(idx: flint.Tensor, targets?: flint.Tensor): { logits: flint.Tensor; loss: flint.Tensor | null } {
    const [b, t] = idx.shape as [number, number];
    if (t > this.config.blockSize) throw new RangeError(`GPT: Cannot forward sequence of length ${t}, block size is only ${this.config.blockSize}`);
    return flint.tidy(() => {
      const pos = flint.arange(t, { device: idx.device });
      let x = this.#part<flint.nn.Embedding>('wte').forward(idx).add(this.#part<flint.nn.Embedding>('wpe').forward(pos));
      x = this.#part<flint.nn.Dropout>('drop').forward(x);
      for (const block of this.#part<flint.nn.ModuleList>('h')) x = (block as Block).forward(x);
      const logits = this.lmHead.forward(this.#part<flint.nn.LayerNorm>('ln_f').forward(x));
      const loss = targets ? F.crossEntropy(logits.view(b * t, -1), targets.view(b * t)) : null;
      return { logits, loss };
    });
  }

  /**
   * Extends `idx` [B, T] by `maxNewTokens` sampled characters, feeding back at most the last
   * `blockSize` of them each step. Call in eval mode.
   */
  generate(idx: flint.Tensor, maxNewTokens: number, options: GenerateOptions = {}): flint.Tensor {
    const temperature = options.temperature ?? 1;
    if (!(temperature > 0)) throw new RangeError(`generate(): temperature must be positive, got ${temperature}`);
    const topK = options.topK === undefined ? undefined : Math.min(options.topK, this.config.vocabSize);
    return flint.noGrad(() => {
      let out = idx.clone();
      for (let i = 0; i < maxNewTokens; i++) {
        const next = flint.tidy(() => {
          const t = out.shape[1]!;
          const cond = t <= this.config.blockSize ? out : out.narrow(1, t - this.config.blockSize, this.config.blockSize);
          let logits = this.forward(cond).logits.select(1, -1).div(temperature);
          if (topK !== undefined) {
            const kth = flint.topk(logits, topK).values.narrow(1, topK - 1, 1);
            logits = logits.where(logits.ge(kth), -Infinity);
          }
          return flint.cat([out, flint.multinomial(logits.softmax(-1), 1, { generator: options.generator })], 1);
        });
        out.dispose();
        out = next;
      }
      return out;
    });
  }
}
