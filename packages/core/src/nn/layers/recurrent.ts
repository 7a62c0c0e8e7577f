/**
 * Multi-layer recurrent modules over whole sequences, as torch.nn.RNN, LSTM and GRU: the steps of
 * recurrent-cells.ts run through time per layer and direction, with PyTorch's parameter names.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import type { Generator } from '../../random/generator.ts';
import { formatShape } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { zeros } from '../../ops/creation.ts';
import { cat, stack } from '../../ops/join.ts';
import { dropout } from '../../ops/dropout.ts';
import { Module } from '../module.ts';
import { pyFloat } from '../repr.ts';
import { PackedSequence } from '../utils/rnn.ts';
import { parameter } from './factory.ts';
import {
  checkSize, elmanMode, gateCount, inputProjection, recurrentStep, resetRecurrent, type RecurrentMode, type RecurrentState, type RNNNonlinearity, type StepWeights,
} from './recurrent-cells.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkOptionValues, checkProbability } from '../../options/check-values.ts';

/** Options of {@link RNN}, {@link LSTM} and {@link GRU}, as torch's keyword arguments in camelCase. */
export interface RecurrentOptions {
  /** Stacked layers (default 1); each after the first reads the previous one's output. */
  numLayers?: number;
  /** Learn `bias_ih_l*` and `bias_hh_l*` (default true). */
  bias?: boolean;
  /** Tensor input and output are [batch, T, *] rather than [T, batch, *]; states stay [layers, batch, *]. */
  batchFirst?: boolean;
  /** Dropout on each layer's output but the last's, in training only (default 0). */
  dropout?: number;
  /** Run a second pass from the end of each sequence and concatenate both (default false). */
  bidirectional?: boolean;
  /** The random stream of the dropout between layers. */
  generator?: Generator;
}

const RECURRENT_OPTIONS: OptionKeys<RecurrentOptions> = {
  numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, generator: true,
};

/** Options of {@link RNN}. */
export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

const RNN_OPTIONS: OptionKeys<RNNOptions> = { ...RECURRENT_OPTIONS, nonlinearity: true };

/** Options of {@link LSTM}. */
export interface LSTMOptions extends RecurrentOptions {
  /** Project each hidden state to this size with `weight_hr_l*` (0, the default, for none). */
  projSize?: number;
}

const LSTM_OPTIONS: OptionKeys<LSTMOptions> = { ...RECURRENT_OPTIONS, projSize: true };
// RNN and GRU take projSize as a name so that RNNBase refuses a value in PyTorch's words.
const GRU_OPTIONS: OptionKeys<RecurrentOptions & Pick<LSTMOptions, 'projSize'>> = { ...RECURRENT_OPTIONS, projSize: true };
const ELMAN_OPTIONS: OptionKeys<RNNOptions & Pick<LSTMOptions, 'projSize'>> = { ...RNN_OPTIONS, projSize: true };

/** A recurrent module's input: a tensor, or a {@link PackedSequence} of sequences of different lengths. */
export type RecurrentInput = Tensor | PackedSequence;

/** The parameter property of layer `layer` and direction `direction` (`weightIhL0Reverse` is PyTorch's `weight_ih_l0_reverse`). */
function weightName(kind: 'weightIh' | 'weightHh' | 'biasIh' | 'biasHh' | 'weightHr', layer: number, direction: number): string {
  return `${kind}L${layer}${direction === 1 ? 'Reverse' : ''}`;
}

/** The weights, sequence loop and checks of the three modules. */
abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;
  readonly generator: Generator | undefined;

  constructor(
    protected readonly mode: RecurrentMode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: LSTMOptions,
  ) {
    const op = new.target.name;
    checkSize(op, 'input_size', inputSize);
    checkSize(op, 'hidden_size', hiddenSize);
    checkSize(op, 'num_layers', options.numLayers ?? 1);
    checkOptionValues(op, options, { bias: 'boolean', batchFirst: 'boolean', bidirectional: 'boolean', projSize: 'integer' });
    checkProbability(op, 'dropout', options.dropout ?? 0, 'dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    this.projSize = options.projSize ?? 0;
    this.generator = options.generator;
    if (this.projSize < 0) throw new RangeError(`${op}(): proj_size should be a positive integer or zero to disable projections`);
    if (this.projSize > 0 && mode !== 'LSTM') throw new RangeError(`${op}(): proj_size argument is only supported for LSTM, not RNN or GRU`);
    if (this.projSize >= hiddenSize) throw new RangeError(`${op}(): proj_size has to be smaller than hidden_size`);
    const gates = gateCount(mode) * hiddenSize;
    const outSize = this.outputSize();
    const self = this as unknown as Record<string, unknown>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let direction = 0; direction < this.directions(); direction++) {
        const layerInput = layer === 0 ? inputSize : outSize * this.directions();
        self[weightName('weightIh', layer, direction)] = parameter(this, [gates, layerInput]);
        self[weightName('weightHh', layer, direction)] = parameter(this, [gates, outSize]);
        if (this.bias) {
          self[weightName('biasIh', layer, direction)] = parameter(this, [gates]);
          self[weightName('biasHh', layer, direction)] = parameter(this, [gates]);
        }
        if (this.projSize > 0) self[weightName('weightHr', layer, direction)] = parameter(this, [this.projSize, hiddenSize]);
      }
    }
    this.resetParameters();
  }

  /** Draws the default initialisation again: every weight and bias U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
  resetParameters(): void {
    resetRecurrent(this.parameters(), this.hiddenSize);
  }

  protected directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The size of h: projSize with a projection, else hiddenSize. */
  protected outputSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** The current weights of one layer and direction, read by name so that reassigned parameters take effect. */
  #weights(layer: number, direction: number): StepWeights {
    const self = this as unknown as Record<string, Tensor | undefined>;
    const get = (kind: Parameters<typeof weightName>[0]): Tensor | null => self[weightName(kind, layer, direction)] ?? null;
    return { weightIh: get('weightIh')!, weightHh: get('weightHh')!, biasIh: get('biasIh'), biasHh: get('biasHh'), weightHr: get('weightHr') };
  }

  /** The shapes each initial state tensor must have: h [layers * directions, batch, outputSize], then LSTM's c with hiddenSize. */
  #stateShapes(batch: number): number[][] {
    const layers = this.numLayers * this.directions();
    const h = [layers, batch, this.outputSize()];
    return this.mode === 'LSTM' ? [h, [layers, batch, this.hiddenSize]] : [h];
  }

  /** Rejects initial states whose rank or shape does not fit the input, with PyTorch's messages. */
  #checkStates(states: readonly Tensor[], batched: boolean, batch: number): void {
    const lstm = this.mode === 'LSTM';
    const rank = batched ? 3 : 2;
    if (states.some((s) => s.ndim !== rank)) {
      const kind = batched ? 'batched 3-D' : 'unbatched 2-D';
      const ranks = states.map((s) => `${s.ndim}-D`);
      throw new RangeError(
        lstm
          ? `For ${kind} input, hx and cx should also be ${rank}-D but got (${ranks.join(', ')}) tensors`
          : `For ${kind} input, hx should also be ${rank}-D but got ${ranks[0]} tensor`,
      );
    }
    const expected = this.#stateShapes(batch);
    states.forEach((s, i) => {
      const shape = batched ? s.shape : [s.shape[0]!, 1, s.shape[1]!];
      const want = expected[i]!;
      if (shape.some((d, k) => d !== want[k])) {
        const label = lstm ? `hidden[${i}]` : 'hidden';
        throw new RangeError(`Expected ${label} size (${want.join(', ')}), got ${formatShape(s.shape)}`);
      }
    });
  }

  /**
   * Runs the stack over `input` from the initial `states` (zeros when omitted); returns the output
   * and the final states, each shaped as the input was given (batch-first, unbatched or packed).
   */
  protected run(input: RecurrentInput, states: readonly Tensor[] | undefined): [RecurrentInput, Tensor[]] {
    const name = this.constructor.name;
    const packed = input instanceof PackedSequence ? input : null;
    const data = packed ? packed.padded : (input as Tensor);
    if (!packed && data.ndim !== 2 && data.ndim !== 3) throw new RangeError(`${name}: Expected input to be 2-D or 3-D but received ${data.ndim}-D tensor`);
    if (packed && data.ndim !== 3) throw new RangeError(`${name}: Expected packed data to be [T, batch, input_size], got ${formatShape(data.shape)}`);
    const got = data.shape.at(-1)!;
    if (got !== this.inputSize) throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${got}`);
    const batched = data.ndim === 3;
    const batch = batched ? data.shape[packed || !this.batchFirst ? 1 : 0]! : 1;
    if (states) this.#checkStates(states, batched, batch);
    const [output, hN] = tidy(() => {
      let layerInput = batched ? (this.batchFirst && !packed ? data.transpose(0, 1) : data) : data.unsqueeze(1);
      const start = states
        ? states.map((s) => (batched ? s : s.unsqueeze(1)))
        : this.#stateShapes(batch).map((shape) => zeros(shape, { device: data.device }));
      const valid = packed ? packed.validMask().unsqueeze(-1) : null;
      const finals: Tensor[][] = start.map(() => []);
      for (let layer = 0; layer < this.numLayers; layer++) {
        const outputs: Tensor[] = [];
        for (let direction = 0; direction < this.directions(); direction++) {
          const index = layer * this.directions() + direction;
          const [out, last] = this.#sweep(layerInput, start.map((s) => s.select(0, index)), this.#weights(layer, direction), direction === 1, valid);
          outputs.push(out);
          last.forEach((s, i) => finals[i]!.push(s));
        }
        layerInput = outputs.length === 1 ? outputs[0]! : cat(outputs, -1);
        if (layer < this.numLayers - 1 && this.dropout > 0) {
          layerInput = dropout(layerInput, this.dropout, { training: this.training, generator: this.generator });
        }
      }
      const last = finals.map((f) => stack(f, 0));
      if (packed) return [layerInput, last];
      if (!batched) return [layerInput.squeeze(1), last.map((s) => s.squeeze(1))];
      return [this.batchFirst ? layerInput.transpose(0, 1) : layerInput, last];
    });
    // tidy keeps only tensors in arrays and plain objects, so the packed result is wrapped outside it.
    return [packed ? new PackedSequence(output, packed.lengths) : output, hN];
  }

  /**
   * One layer and direction over time-first `x` [T, batch, in]: the outputs [T, batch, outputSize]
   * and the final state. With `valid` [T, batch, 1], a sequence's state holds still and its output
   * is zero past its length, so a reverse sweep starts at each sequence's own last step.
   */
  #sweep(x: Tensor, state: RecurrentState, w: StepWeights, reverse: boolean, valid: Tensor | null): [Tensor, RecurrentState] {
    const steps = x.shape[0]!;
    const outputs: Tensor[] = new Array<Tensor>(steps);
    // As PyTorch on the CPU: the input's share of every step in one product, so that only the
    // recurrent products stay per step.
    const fromInput = inputProjection(x, w);
    let current = state;
    for (let k = 0; k < steps; k++) {
      const t = reverse ? steps - 1 - k : k;
      const next = recurrentStep(this.mode, fromInput.select(0, t), current, w);
      if (valid) {
        const mask = valid.select(0, t);
        current = next.map((s, i) => s.where(mask, current[i]!));
        outputs[t] = next[0]!.where(mask, 0);
      } else {
        current = next;
        outputs[t] = next[0]!;
      }
    }
    return [stack(outputs, 0), current];
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}`, `${this.hiddenSize}`];
    if (this.projSize !== 0) parts.push(`proj_size=${this.projSize}`);
    if (this.numLayers !== 1) parts.push(`num_layers=${this.numLayers}`);
    if (!this.bias) parts.push('bias=False');
    if (this.batchFirst) parts.push('batch_first=True');
    if (this.dropout !== 0) parts.push(`dropout=${pyFloat(this.dropout)}`);
    if (this.bidirectional) parts.push('bidirectional=True');
    return parts.join(', ');
  }
}

/**
 * A multi-layer Elman RNN, as torch.nn.RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)
 * (or relu). `forward` returns `[output, hN]`: output [T, batch, D * hiddenSize] (batch-first with
 * `batchFirst`; [T, D * hiddenSize] unbatched) and hN [numLayers * D, batch, hiddenSize].
 * @example const rnn = new nn.RNN(10, 20, { numLayers: 2 }); const [out, hN] = rnn.forward(x); // x [5, 3, 10]
 */
export class RNN extends RNNBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    checkOptions('RNN', options, ELMAN_OPTIONS);
    const nonlinearity = options.nonlinearity ?? 'tanh';
    super(elmanMode('RNN', nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }

  forward(input: Tensor, hx?: Tensor): [Tensor, Tensor];
  forward(input: PackedSequence, hx?: Tensor): [PackedSequence, Tensor];
  forward(input: RecurrentInput, hx?: Tensor): [RecurrentInput, Tensor] {
    const [output, [hN]] = this.run(input, hx ? [hx] : undefined);
    return [output, hN!];
  }
}

/**
 * A multi-layer LSTM, as torch.nn.LSTM, gates stacked i, f, g, o; with `projSize`, each h is
 * projected by `weight_hr_l*`. `forward(input, [h0, c0])` returns `[output, [hN, cN]]`.
 * @example const lstm = new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true }); const [out, [hN, cN]] = lstm.forward(x);
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    checkOptions('LSTM', options, LSTM_OPTIONS);
    super('LSTM', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]];
  forward(input: PackedSequence, hx?: readonly [Tensor, Tensor]): [PackedSequence, [Tensor, Tensor]];
  forward(input: RecurrentInput, hx?: readonly [Tensor, Tensor]): [RecurrentInput, [Tensor, Tensor]] {
    if (hx !== undefined && hx.length !== 2) throw new TypeError(`LSTM: hx must be a pair [h0, c0], got ${hx.length} tensors`);
    const [output, [hN, cN]] = this.run(input, hx);
    return [output, [hN!, cN!]];
  }
}

/**
 * A multi-layer GRU, as torch.nn.GRU, gates stacked r, z, n with
 * n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_(t-1) + b_hn)). `forward` returns `[output, hN]`.
 * @example const gru = new nn.GRU(10, 20, { bidirectional: true }); const [out, hN] = gru.forward(x, h0);
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    checkOptions('GRU', options, GRU_OPTIONS);
    super('GRU', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: Tensor): [Tensor, Tensor];
  forward(input: PackedSequence, hx?: Tensor): [PackedSequence, Tensor];
  forward(input: RecurrentInput, hx?: Tensor): [RecurrentInput, Tensor] {
    const [output, [hN]] = this.run(input, hx ? [hx] : undefined);
    return [output, hN!];
  }
}
