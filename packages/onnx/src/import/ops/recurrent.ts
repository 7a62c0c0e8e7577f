/**
 * ONNX's LSTM and GRU, step by step over flint ops, so that gradients reach the W, R and B
 * initializers as they would a PyTorch module's weights. Layout 0 only: X is [seq, batch, input],
 * Y is [seq, num_directions, batch, hidden], Y_h and Y_c are [num_directions, batch, hidden].
 */
import * as flint from '@flint/core';
import type { Attributes } from '../attributes.ts';
import { asTensor, type Value } from '../values.ts';
import { required, type Handler } from './handler.ts';

const F = flint.nn.functional;

/** One cell: its gate count, default activations, and a step from the input's projection and the previous state. */
interface Cell {
  readonly op: 'LSTM' | 'GRU';
  readonly gates: number;
  readonly activations: readonly string[];
  /** Input indices of the optional initial states (initial_h, and initial_c for LSTM). */
  readonly states: readonly number[];
  /** `x`: X_t W^T + Wb, [batch, gates * hidden]; R: [gates * hidden, hidden]; Rb: [gates * hidden]. */
  step(x: flint.Tensor, state: flint.Tensor[], R: flint.Tensor, Rb: flint.Tensor, attrs: Attributes): flint.Tensor[];
}

/** Gate order i, o, f, c (ONNX's, not PyTorch's i, f, g, o); returns [h, c]. */
const LSTM_CELL: Cell = {
  op: 'LSTM',
  gates: 4,
  activations: ['Sigmoid', 'Tanh', 'Tanh'],
  states: [5, 6],
  step(x, [h, c], R, Rb) {
    const [i, o, f, g] = flint.chunk(x.add(F.linear(h!, R, Rb)), 4, -1) as [flint.Tensor, flint.Tensor, flint.Tensor, flint.Tensor];
    const cNext = flint.sigmoid(f).mul(c!).add(flint.sigmoid(i).mul(flint.tanh(g)));
    return [flint.sigmoid(o).mul(flint.tanh(cNext)), cNext];
  },
};

/** Gate order z, r, h; `linear_before_reset` 1 (PyTorch's) applies the reset gate after R_h's product. */
const GRU_CELL: Cell = {
  op: 'GRU',
  gates: 3,
  activations: ['Sigmoid', 'Tanh'],
  states: [5],
  step(x, [h], R, Rb, attrs) {
    const [xz, xr, xn] = flint.chunk(x, 3, -1) as [flint.Tensor, flint.Tensor, flint.Tensor];
    const [Rz, Rr, Rn] = flint.chunk(R, 3, 0) as [flint.Tensor, flint.Tensor, flint.Tensor];
    const [bz, br, bn] = flint.chunk(Rb, 3, 0) as [flint.Tensor, flint.Tensor, flint.Tensor];
    const z = flint.sigmoid(xz.add(F.linear(h!, Rz, bz)));
    const r = flint.sigmoid(xr.add(F.linear(h!, Rr, br)));
    const recurrent = attrs.int('linear_before_reset', 0) ? r.mul(F.linear(h!, Rn, bn)) : F.linear(r.mul(h!), Rn, bn);
    const n = flint.tanh(xn.add(recurrent));
    return [n.sub(z.mul(n)).add(z.mul(h!))];
  },
};

const DIRECTIONS: Readonly<Record<string, readonly boolean[]>> = { forward: [false], reverse: [true], bidirectional: [false, true] };

/** Throws on the parts of the ONNX op this handler does not implement. */
function refuseUnsupported(cell: Cell, inputs: ReadonlyArray<Value | undefined>, attrs: Attributes, directions: number): void {
  const refuse = (what: string): never => {
    throw new RangeError(`onnx.load(): ${cell.op} with ${what} is not supported`);
  };
  if (inputs[4] !== undefined) refuse('sequence_lens (every sequence must have the full length)');
  if (cell.op === 'LSTM' && inputs[7] !== undefined) refuse('peepholes (input P)');
  if (attrs.has('clip')) refuse('clip');
  if (attrs.int('input_forget', 0) !== 0) refuse('input_forget=1');
  if (attrs.int('layout', 0) !== 0) refuse(`layout=${attrs.int('layout', 0)}`);
  const defaults = Array.from({ length: directions }, () => cell.activations).flat();
  const activations = attrs.strings('activations', defaults);
  if (activations.join() !== defaults.join()) refuse(`activations ${activations.join(', ')} (only ${defaults.join(', ')})`);
  if (attrs.has('activation_alpha') || attrs.has('activation_beta')) refuse('activation_alpha or activation_beta');
}

function recurrent(cell: Cell): Handler {
  const { op } = cell;
  return (inputs, attrs, ctx) => {
    const direction = attrs.string('direction', 'forward');
    const reversed = DIRECTIONS[direction];
    if (!reversed) throw new RangeError(`onnx.load(): ${op} with direction ${direction} is not supported (forward, reverse or bidirectional)`);
    refuseUnsupported(cell, inputs, attrs, reversed.length);
    const tensor = (i: number): flint.Tensor | undefined => (inputs[i] === undefined ? undefined : asTensor(op, inputs[i]!, ctx.device));
    const X = asTensor(op, required(op, inputs, 0), ctx.device);
    const W = asTensor(op, required(op, inputs, 1), ctx.device);
    const R = asTensor(op, required(op, inputs, 2), ctx.device);
    const hidden = attrs.int('hidden_size', R.shape[2] ?? 0);
    const size = cell.gates * hidden;
    if (X.ndim !== 3) throw new RangeError(`onnx.load(): ${op} expects X of shape [seq, batch, input], got [${X.shape.join(', ')}]`);
    const [steps, batch] = X.shape as [number, number, number];
    const expected = [reversed.length, size, X.shape[2]!];
    if (W.shape.join() !== expected.join()) throw new RangeError(`onnx.load(): ${op} expects W of shape [${expected.join(', ')}], got [${W.shape.join(', ')}]`);
    const B = tensor(3) ?? flint.zeros([reversed.length, 2 * size], { device: ctx.device });
    const initial = cell.states.map((i) => tensor(i) ?? flint.zeros([reversed.length, batch, hidden], { device: ctx.device }));
    const outputs: flint.Tensor[] = [];
    const finals: flint.Tensor[][] = cell.states.map(() => []);
    reversed.forEach((backward, d) => {
      // The input's projection for every step at once; only the recurrent product is sequential.
      const projected = F.linear(X, W.select(0, d), B.select(0, d).narrow(0, 0, size));
      const Rd = R.select(0, d);
      const Rb = B.select(0, d).narrow(0, size, size);
      let state = initial.map((s) => s.select(0, d));
      const ys = new Array<flint.Tensor>(steps);
      for (let k = 0; k < steps; k++) {
        const t = backward ? steps - 1 - k : k;
        state = cell.step(projected.select(0, t), state, Rd, Rb, attrs);
        ys[t] = state[0]!;
      }
      outputs.push(flint.stack(ys, 0));
      state.forEach((s, i) => finals[i]!.push(s));
    });
    return [flint.stack(outputs, 1), ...finals.map((f) => flint.stack(f, 0))];
  };
}

export const RECURRENT: Record<string, Handler> = { LSTM: recurrent(LSTM_CELL), GRU: recurrent(GRU_CELL) };
