/**
 * word_language_model's RNNModel with its LSTM: an embedding (the encoder), a stacked LSTM, and a
 * linear decoder to one logit per token, with dropout on the embeddings, between the LSTM's layers
 * and on its output. Parameter names are the original's, so its state dict loads unchanged
 * (`encoder.weight`, `rnn.weight_ih_l0`, ..., `decoder.weight`, `decoder.bias`).
 */
import * as flint from '@flint/core';

const { nn } = flint;

/** The original's constructor arguments, named as its command-line options. */
export interface RNNModelConfig {
  /** Vocabulary size. */
  ntoken: number;
  /** Embedding size (`--emsize`). */
  ninp: number;
  /** Hidden units per LSTM layer (`--nhid`). */
  nhid: number;
  /** Stacked LSTM layers (`--nlayers`). */
  nlayers: number;
  /** Dropout probability on embeddings, between layers and on the LSTM's output. */
  dropout: number;
  /** Share the encoder's weight with the decoder (Press & Wolf 2016); needs `nhid === ninp`. */
  tied: boolean;
}

/** An LSTM's state: h and c, each [nlayers, batch, nhid]. */
export type Hidden = [flint.Tensor, flint.Tensor];

/**
 * Token ids [T, batch] and a state to logits [T * batch, ntoken] and the next state.
 * @example const model = new RNNModel({ ntoken: 89, ninp: 64, nhid: 64, nlayers: 2, dropout: 0.2, tied: true });
 */
export class RNNModel extends nn.Module {
  readonly config: RNNModelConfig;
  drop: flint.nn.Dropout;
  encoder: flint.nn.Embedding;
  rnn: flint.nn.LSTM;
  decoder: flint.nn.Linear;

  constructor(config: RNNModelConfig) {
    super();
    if (config.tied && config.nhid !== config.ninp) throw new RangeError('RNNModel(): When using the tied flag, nhid must be equal to emsize');
    this.config = config;
    this.drop = new nn.Dropout(config.dropout);
    this.encoder = new nn.Embedding(config.ntoken, config.ninp);
    this.rnn = new nn.LSTM(config.ninp, config.nhid, { numLayers: config.nlayers, dropout: config.dropout });
    this.decoder = new nn.Linear(config.nhid, config.ntoken);
    if (config.tied) {
      // The decoder's own weight is replaced, so it is freed here rather than left to the collector.
      this.decoder.weight.dispose();
      this.decoder.weight = this.encoder.weight;
    }
    this.initWeights();
  }

  /** The original's init_weights: encoder and decoder weights from U(-0.1, 0.1), decoder bias zero. */
  initWeights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  /** Logits [T * batch, ntoken], rows in the order of the flattened `input`, and the LSTM's final state. */
  forward(input: flint.Tensor, hidden: Hidden): [flint.Tensor, Hidden] {
    const emb = this.drop.forward(this.encoder.forward(input));
    const [output, next] = this.rnn.forward(emb, hidden);
    const decoded = this.decoder.forward(this.drop.forward(output));
    return [decoded.view(-1, this.config.ntoken), next];
  }

  /** A zero state for `batchSize` sequences, on the device of the weights. */
  initHidden(batchSize: number): Hidden {
    const { device } = this.encoder.weight;
    const shape = [this.config.nlayers, batchSize, this.config.nhid];
    return [flint.zeros(shape, { device }), flint.zeros(shape, { device })];
  }
}
