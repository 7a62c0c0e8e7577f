/**
 * One time step of the Elman RNN, LSTM and GRU in PyTorch's gate order, shared by the cell modules
 * here and the sequence modules of recurrent.ts, and PyTorch's default initialisation for both.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { zeros } from '../../ops/creation.ts';
import { linear } from '../functional/linear.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { uniform_ } from '../init.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkOptionValues, shown } from '../../options/check-values.ts';

/** Which recurrence a step computes; the two Elman variants differ only in their nonlinearity. */
export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The Elman RNN's nonlinearity, as torch.nn.RNN's `nonlinearity`. */
export type RNNNonlinearity = 'tanh' | 'relu';

/** How many gate blocks `weight_ih`/`weight_hh` stack: LSTM i,f,g,o; GRU r,z,n. */
export function gateCount(mode: RecurrentMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/** The Elman mode for a nonlinearity, rejecting others with PyTorch's message. */
export function elmanMode(op: string, nonlinearity: string): RecurrentMode {
  checkChoice(op, 'nonlinearity', nonlinearity, ['tanh', 'relu'], `Unknown nonlinearity '${nonlinearity}'`);
  return nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU';
}

/**
 * One step's weights, named as PyTorch's: `weightIh` [G*H, in], `weightHh` [G*H, H or projSize],
 * biases [G*H], and LSTM's projection `weightHr` [projSize, H].
 */
export interface StepWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;
  weightHr?: Tensor | null;
}

/** The recurrent state of one layer and direction: `[h]`, or `[h, c]` for LSTM; each [batch, size]. */
export type RecurrentState = Tensor[];

/**
 * One step from the input's projection `fromInput` = x W_ih^T + b_ih ([batch, gates], made by
 * {@link inputProjection}, for a whole sequence at once where there is one) and `state`, as
 * PyTorch computes it:
 * - RNN: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)
 * - LSTM: i, f, g, o from the stacked gates; c' = f c + i g; h' = o tanh(c') (then h' W_hr^T with a projection)
 * - GRU: r, z from the stacked gates; n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h
 */
export function recurrentStep(mode: RecurrentMode, fromInput: Tensor, state: RecurrentState, w: StepWeights): RecurrentState {
  const h = state[0]!;
  const fromHidden = linear(h, w.weightHh, w.biasHh);
  switch (mode) {
    case 'RNN_TANH':
      return [fromInput.add(fromHidden).tanh()];
    case 'RNN_RELU':
      return [fromInput.add(fromHidden).relu()];
    case 'LSTM': {
      const [i, f, g, o] = fromInput.add(fromHidden).chunk(4, -1) as [Tensor, Tensor, Tensor, Tensor];
      const c = f.sigmoid().mul(state[1]!).add(i.sigmoid().mul(g.tanh()));
      const out = o.sigmoid().mul(c.tanh());
      return [w.weightHr ? linear(out, w.weightHr) : out, c];
    }
    case 'GRU': {
      const [ir, iz, inp] = fromInput.chunk(3, -1) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = fromHidden.chunk(3, -1) as [Tensor, Tensor, Tensor];
      const r = ir.add(hr).sigmoid();
      const z = iz.add(hz).sigmoid();
      const n = inp.add(r.mul(hn)).tanh();
      return [n.add(z.mul(h.sub(n)))];
    }
  }
}

/** x W_ih^T + b_ih for inputs `x` [..., in]: one product for every time step of a sequence. */
export function inputProjection(x: Tensor, w: StepWeights): Tensor {
  return linear(x, w.weightIh, w.biasIh);
}

/** PyTorch's default for every recurrent weight and bias: U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
export function resetRecurrent(params: readonly Tensor[], hiddenSize: number): void {
  const bound = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
  for (const p of params) uniform_(p, -bound, bound);
}

/** Rejects sizes that are not positive integers, in PyTorch's words for the recurrent layers, naming `op` and the argument. */
export function checkSize(op: string, name: string, value: unknown): void {
  if (!Number.isInteger(value)) throw new TypeError(`${op}(): ${name} should be of type int, got: ${shown(value)}`);
  if ((value as number) <= 0) throw new RangeError(`${op}(): ${name} must be greater than zero`);
}

/** Options of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}. */
export interface RNNCellOptions {
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
}

const RNN_CELL_OPTIONS: OptionKeys<RNNCellOptions> = { bias: true };

/** Options of {@link RNNCell}. */
export interface ElmanCellOptions extends RNNCellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

const ELMAN_CELL_OPTIONS: OptionKeys<ElmanCellOptions> = { ...RNN_CELL_OPTIONS, nonlinearity: true };

/** The parameters, checks and unbatched handling the three cells share. */
abstract class RNNCellBase extends Module {
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;
  readonly bias: boolean;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    protected readonly mode: RecurrentMode,
    options: RNNCellOptions,
  ) {
    checkSize(new.target.name, 'input_size', inputSize);
    checkSize(new.target.name, 'hidden_size', hiddenSize);
    checkOptionValues(new.target.name, options, { bias: 'boolean' });
    super();
    this.bias = options.bias ?? true;
    const gates = gateCount(mode) * hiddenSize;
    this.weightIh = parameter(this, [gates, inputSize]);
    this.weightHh = parameter(this, [gates, hiddenSize]);
    this.biasIh = this.bias ? parameter(this, [gates]) : null;
    this.biasHh = this.bias ? parameter(this, [gates]) : null;
    this.resetParameters();
  }

  /** Draws the default initialisation again. */
  resetParameters(): void {
    resetRecurrent(this.parameters(), this.hiddenSize);
  }

  /**
   * Checks `input` [batch, inputSize] or unbatched [inputSize] and the state tensors against it,
   * runs one step (zeros for a state not given) and returns the new state, unbatched as the input.
   */
  protected step(input: Tensor, state: ReadonlyArray<Tensor | undefined>): RecurrentState {
    const name = this.constructor.name;
    if (input.ndim !== 1 && input.ndim !== 2) throw new RangeError(`${name}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    const got = input.shape.at(-1)!;
    if (got !== this.inputSize) throw new RangeError(`input has inconsistent input_size: got ${got} expected ${this.inputSize}`);
    const batched = input.ndim === 2;
    const batch = batched ? input.shape[0]! : 1;
    state.forEach((s, i) => {
      if (!s) return;
      if (s.ndim !== input.ndim) throw new RangeError(`${name}: Expected hidden${i} to be ${input.ndim}-D like the input, but received ${s.ndim}-D tensor`);
      const sBatch = batched ? s.shape[0]! : 1;
      if (sBatch !== batch) throw new RangeError(`Input batch size ${batch} doesn't match hidden${i} batch size ${sBatch}`);
      const size = s.shape.at(-1)!;
      if (size !== this.hiddenSize) throw new RangeError(`hidden${i} has inconsistent hidden_size: got ${size}, expected ${this.hiddenSize}`);
    });
    return tidy(() => {
      const x = batched ? input : input.unsqueeze(0);
      const start = state.map((s) => (s ? (batched ? s : s.unsqueeze(0)) : zeros([batch, this.hiddenSize], { device: input.device })));
      const weights = { weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh };
      const next = recurrentStep(this.mode, inputProjection(x, weights), start, weights);
      return batched ? next : next.map((t) => t.squeeze(0));
    });
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}`, `${this.hiddenSize}`];
    if (!this.bias) parts.push('bias=False');
    if (this.mode === 'RNN_RELU') parts.push('nonlinearity=relu');
    return parts.join(', ');
  }
}

/**
 * One Elman RNN step, as torch.nn.RNNCell: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).
 * @example const cell = new nn.RNNCell(10, 20); const h1 = cell.forward(x, h0); // x [3, 10], h [3, 20]
 */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: ElmanCellOptions = {}) {
    checkOptions('RNNCell', options, ELMAN_CELL_OPTIONS);
    const nonlinearity = options.nonlinearity ?? 'tanh';
    super(inputSize, hiddenSize, elmanMode('RNNCell', nonlinearity), options);
    this.nonlinearity = nonlinearity;
  }

  /** The next hidden state from `input` [batch, inputSize] (or [inputSize]) and `hx` (zeros if omitted). */
  forward(input: Tensor, hx?: Tensor): Tensor {
    return this.step(input, [hx])[0]!;
  }
}

/**
 * One LSTM step, as torch.nn.LSTMCell, with gates stacked i, f, g, o; returns `[h', c']`.
 * @example const cell = new nn.LSTMCell(10, 20); const [h1, c1] = cell.forward(x, [h0, c0]);
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    checkOptions('LSTMCell', options, RNN_CELL_OPTIONS);
    super(inputSize, hiddenSize, 'LSTM', options);
  }

  /** `[h', c']` from `input` [batch, inputSize] (or [inputSize]) and `hx = [h, c]` (zeros if omitted). */
  forward(input: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, Tensor] {
    if (hx !== undefined && hx.length !== 2) throw new TypeError(`LSTMCell: hx must be a pair [h0, c0], got ${hx.length} tensors`);
    return this.step(input, hx ?? [undefined, undefined]) as [Tensor, Tensor];
  }
}

/**
 * One GRU step, as torch.nn.GRUCell, with gates stacked r, z, n and
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
 * @example const cell = new nn.GRUCell(10, 20); const h1 = cell.forward(x, h0);
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    checkOptions('GRUCell', options, RNN_CELL_OPTIONS);
    super(inputSize, hiddenSize, 'GRU', options);
  }

  /** The next hidden state from `input` [batch, inputSize] (or [inputSize]) and `hx` (zeros if omitted). */
  forward(input: Tensor, hx?: Tensor): Tensor {
    return this.step(input, [hx])[0]!;
  }
}
