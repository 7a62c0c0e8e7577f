/**
 * flint's sequence models for the gpt and lstm workloads, written as a PyTorch user would port
 * them: the same modules as systems/pytorch_child.py, with flint's default initialisation.
 */
import * as flint from '@flint/core';
import type { SequenceData } from '../workloads.ts';
import type { LocalInstance } from './adapter.ts';

const { nn } = flint;

class Gpt extends nn.Module {
  tok: flint.nn.Embedding;
  pos: flint.nn.Embedding;
  blocks: flint.nn.ModuleList;
  norm: flint.nn.LayerNorm;
  head: flint.nn.Linear;

  constructor(readonly config: SequenceData) {
    super();
    const { vocab, width, context, heads, layers } = config;
    this.tok = new nn.Embedding(vocab, width);
    this.pos = new nn.Embedding(context, width);
    const block = () => new nn.TransformerEncoderLayer(width, heads, { dimFeedforward: 4 * width, dropout: 0, activation: 'gelu', batchFirst: true, normFirst: true });
    this.blocks = new nn.ModuleList(Array.from({ length: layers }, block));
    this.norm = new nn.LayerNorm(width);
    this.head = new nn.Linear(width, vocab);
  }

  forward(x: flint.Tensor): flint.Tensor {
    return flint.tidy(() => {
      let h = this.tok.forward(x).add(this.pos.forward(flint.arange(x.shape[1]!, { dtype: 'int32' })));
      for (const block of this.blocks) h = (block as flint.nn.TransformerEncoderLayer).forward(h, { isCausal: true });
      return this.head.forward(this.norm.forward(h));
    });
  }
}

class LstmModel extends nn.Module {
  encoder: flint.nn.Embedding;
  rnn: flint.nn.LSTM;
  decoder: flint.nn.Linear;

  constructor({ vocab, width, layers }: SequenceData) {
    super();
    this.encoder = new nn.Embedding(vocab, width);
    this.rnn = new nn.LSTM(width, width, { numLayers: layers });
    this.decoder = new nn.Linear(width, vocab);
  }

  forward(x: flint.Tensor): flint.Tensor {
    return flint.tidy(() => this.decoder.forward(this.rnn.forward(this.encoder.forward(x))[0]));
  }
}

/** One training step per call on the fixed batch, reading the loss back. */
export function sequenceTrainer(data: SequenceData): LocalInstance {
  flint.manualSeed(data.seed);
  const gpt = data.kind === 'gpt';
  const net = gpt ? new Gpt(data) : new LstmModel(data);
  const optimizer = gpt ? new flint.optim.AdamW(net.parameters(), { lr: data.lr }) : new flint.optim.SGD(net.parameters(), { lr: data.lr });
  // word_language_model's batches are time-first: [context, batch].
  const tokens = (values: Int32Array) => flint.tidy(() => {
    const t = flint.tensor(values, { dtype: 'int32' }).reshape([data.batch, data.context]);
    return gpt ? t : t.T.contiguous();
  });
  const x = tokens(data.x);
  const y = tokens(data.y);
  return {
    step: async () => {
      const loss = flint.tidy(() => {
        const l = flint.nn.functional.crossEntropy(net.forward(x).reshape([-1, data.vocab]), y.reshape([-1]));
        optimizer.zeroGrad();
        l.backward();
        if (!gpt) flint.nn.utils.clipGradNorm_(net.parameters(), data.clip);
        optimizer.step();
        return l.detach();
      });
      try {
        return await loss.item();
      } finally {
        loss.dispose();
      }
    },
    dispose: () => {
      optimizer.dispose();
      net.dispose();
      x.dispose();
      y.dispose();
    },
  };
}
