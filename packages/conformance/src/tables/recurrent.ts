/**
 * How each op of fixtures/rnn.json runs in flint: RNN, LSTM and GRU (tensor or packed input), the
 * three cells, and padSequence. A module case returns its output and final states flattened and
 * concatenated, as the fixture script does, and first checks that the module's parameter names are
 * torch's state-dict keys (`args.keys`) in torch's order.
 */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';
import { layer, named } from './nn.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
type Module = flint.nn.Module;
type AnyRecurrent = flint.nn.RNN | flint.nn.LSTM | flint.nn.GRU;
type AnyCell = flint.nn.RNNCell | flint.nn.LSTMCell | flint.nn.GRUCell;

interface PackedArgs {
  lengths: number[];
  batchFirst: boolean;
  enforceSorted: boolean;
}

const flat = (ts: readonly Tensor[]): Tensor => flint.cat(ts.map((t) => t.reshape(-1)));

/** The freshly built module, once its parameter names are torch's state-dict keys in torch's order (before the fixture's tensors replace them). */
function checkKeys<M extends Module>(m: M, a: Args): M {
  const keys = m.namedParameters().map(([name]) => name);
  const expected = a.keys as string[];
  if (keys.join() !== expected.join()) {
    m.dispose();
    throw new Error(`state-dict keys [${keys.join(', ')}] differ from torch's [${expected.join(', ')}]`);
  }
  return m;
}

/** The initial state the case gives: none, h0, or LSTM's [h0, c0]. */
function initialState(inputs: Record<string, Tensor>): Tensor | [Tensor, Tensor] | undefined {
  const { h0, c0 } = inputs;
  if (!h0) return undefined;
  return c0 ? [h0, c0] : h0;
}

/** Runs a sequence module, through packPaddedSequence / padPackedSequence when the case is packed. */
function runRecurrent(m: AnyRecurrent, xs: Tensor[], a: Args): Tensor {
  const inputs = named(xs, a);
  const packing = a.packed as PackedArgs | undefined;
  const { rnn } = nn.utils;
  const input = packing ? rnn.packPaddedSequence(inputs.input!, packing.lengths, { batchFirst: packing.batchFirst, enforceSorted: packing.enforceSorted }) : inputs.input!;
  const run = m.forward as (x: flint.nn.RecurrentInput, hx?: Tensor | [Tensor, Tensor]) => [flint.nn.RecurrentInput, Tensor | [Tensor, Tensor]];
  const [out, last] = run.call(m, input, initialState(inputs));
  const output = out instanceof rnn.PackedSequence ? rnn.padPackedSequence(out, { batchFirst: packing!.batchFirst })[0] : (out as Tensor);
  return flat([output, ...(Array.isArray(last) ? last : [last])]);
}

/** Runs one step of a cell. */
function runCell(m: AnyCell, xs: Tensor[], a: Args): Tensor {
  const inputs = named(xs, a);
  const step = m.forward as (x: Tensor, hx?: Tensor | [Tensor, Tensor]) => Tensor | [Tensor, Tensor];
  const next = step.call(m, inputs.input!, initialState(inputs));
  return Array.isArray(next) ? flat(next) : next;
}

const sizes = (a: Args): [number, number] => [a.inputSize as number, a.hiddenSize as number];

export const recurrentTable: Record<string, OpFn> = {
  RNN: layer((a) => checkKeys(new nn.RNN(...sizes(a), a.ctor as flint.nn.RNNOptions), a), runRecurrent),
  LSTM: layer((a) => checkKeys(new nn.LSTM(...sizes(a), a.ctor as flint.nn.LSTMOptions), a), runRecurrent),
  GRU: layer((a) => checkKeys(new nn.GRU(...sizes(a), a.ctor as flint.nn.RecurrentOptions), a), runRecurrent),
  RNNCell: layer((a) => checkKeys(new nn.RNNCell(...sizes(a), a.ctor as flint.nn.ElmanCellOptions), a), runCell),
  LSTMCell: layer((a) => checkKeys(new nn.LSTMCell(...sizes(a), a.ctor as flint.nn.RNNCellOptions), a), runCell),
  GRUCell: layer((a) => checkKeys(new nn.GRUCell(...sizes(a), a.ctor as flint.nn.RNNCellOptions), a), runCell),
  padSequence: (inputs, a) => nn.utils.rnn.padSequence(inputs, { batchFirst: a.batchFirst as boolean | undefined, paddingValue: a.paddingValue as number | undefined }),
};
