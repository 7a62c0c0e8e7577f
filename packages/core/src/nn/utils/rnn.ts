/**
 * Variable-length sequences for the recurrent modules, as torch.nn.utils.rnn: padSequence,
 * unpadSequence, packSequence, unpackSequence,
 * packPaddedSequence and padPackedSequence.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { full, tensor } from '../../ops/creation.ts';
import { cat, stack } from '../../ops/join.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

/**
 * A batch of sequences of different lengths, made by {@link packPaddedSequence} and accepted by
 * nn.RNN, nn.LSTM and nn.GRU in place of a tensor, as torch's PackedSequence. flint keeps the batch
 * padded rather than interleaved: `padded` is time-first [maxLength, batch, *] in the caller's
 * batch order, and `lengths[b]` is sequence b's number of valid steps; a recurrent module runs each
 * sequence for exactly its length. Steps past a length hold unspecified values; read them through
 * {@link padPackedSequence}.
 */
export class PackedSequence {
  constructor(
    readonly padded: Tensor,
    readonly lengths: readonly number[],
  ) {}

  /** The valid steps as a bool mask [maxLength, batch], on the data's device. */
  validMask(): Tensor {
    const steps = this.padded.shape[0]!;
    const rows = Array.from({ length: steps }, (_, t) => this.lengths.map((l) => t < l));
    return tensor(rows, { dtype: 'bool', device: this.padded.device });
  }

  /** Frees the padded data. */
  dispose(): void {
    this.padded.dispose();
  }
}

export interface PadSequenceOptions {
  /** Return [batch, maxLength, *] rather than the default [maxLength, batch, *]. */
  batchFirst?: boolean;
  /** The value past each sequence's end (default 0). */
  paddingValue?: number;
}

const PAD_SEQUENCE_OPTIONS: OptionKeys<PadSequenceOptions> = { batchFirst: true, paddingValue: true };

/**
 * Stacks sequences [L_i, *] into one tensor padded with `paddingValue` to the longest:
 * [maxLength, batch, *], or [batch, maxLength, *] with `batchFirst`, as torch.nn.utils.rnn.pad_sequence.
 * @example nn.utils.rnn.padSequence([a, b], { batchFirst: true }) // a [3, 2], b [1, 2] -> [2, 3, 2]
 */
export function padSequence(sequences: readonly Tensor[], options: PadSequenceOptions = {}): Tensor {
  checkOptions('padSequence', options, PAD_SEQUENCE_OPTIONS);
  if (sequences.length === 0) throw new RangeError('padSequence(): received an empty list of sequences');
  const first = sequences[0]!;
  sequences.forEach((s, i) => {
    if (s.ndim === 0) throw new RangeError(`padSequence(): sequence ${i} is a scalar; each sequence needs a time dim`);
    if (!shapeEquals(s.shape.slice(1), first.shape.slice(1))) {
      throw new RangeError(`padSequence(): every sequence must have the trailing shape ${formatShape(first.shape.slice(1))}, but sequence ${i} has shape ${formatShape(s.shape)}`);
    }
  });
  const maxLength = Math.max(...sequences.map((s) => s.shape[0]!));
  return tidy(() => {
    const padded = sequences.map((s) => {
      const missing = maxLength - s.shape[0]!;
      if (missing === 0) return s;
      return cat([s, full([missing, ...s.shape.slice(1)], options.paddingValue ?? 0, { dtype: s.dtype, device: s.device })], 0);
    });
    return stack(padded, options.batchFirst ? 0 : 1);
  });
}

export interface PackPaddedOptions {
  /** `input` is [batch, T, *] rather than [T, batch, *]. */
  batchFirst?: boolean;
  /** Require `lengths` in decreasing order (default true), as PyTorch does for ONNX export. */
  enforceSorted?: boolean;
}

const PACK_PADDED_OPTIONS: OptionKeys<PackPaddedOptions> = { batchFirst: true, enforceSorted: true };

/** Lengths as plain numbers, from an array or a 1-D int tensor that reads synchronously. */
function lengthList(op: string, lengths: readonly number[] | Tensor): number[] {
  if (Array.isArray(lengths)) return [...(lengths as readonly number[])];
  const t = lengths as Tensor;
  if (t.ndim !== 1) throw new RangeError(`${op}(): lengths must be a 1-D tensor, got shape ${formatShape(t.shape)}`);
  return t.tolistSync() as number[];
}

/**
 * Marks each sequence of a padded batch with its length, as torch.nn.utils.rnn.pack_padded_sequence:
 * a recurrent module given the result runs sequence b for `lengths[b]` steps, its outputs past that
 * are zeros and its final state is the one at the last valid step.
 * @example
 * const packed = nn.utils.rnn.packPaddedSequence(x, [5, 3], { batchFirst: true, enforceSorted: false });
 * const [out, hN] = gru.forward(packed);
 * const [padded, lengths] = nn.utils.rnn.padPackedSequence(out as nn.utils.rnn.PackedSequence, { batchFirst: true });
 */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, options: PackPaddedOptions = {}): PackedSequence {
  checkOptions('packPaddedSequence', options, PACK_PADDED_OPTIONS);
  const list = lengthList('packPaddedSequence', lengths);
  const batchDim = options.batchFirst ? 0 : 1;
  const timeDim = 1 - batchDim;
  if (input.ndim < 2) throw new RangeError(`packPaddedSequence(): input must have a time and a batch dim, got shape ${formatShape(input.shape)}`);
  const batch = input.shape[batchDim]!;
  if (list.length !== batch) throw new RangeError(`packPaddedSequence(): Expected \`len(lengths)\` to be equal to batch_size, but got ${list.length} (batch_size=${batch})`);
  if (list.some((l) => !Number.isInteger(l) || l <= 0)) {
    throw new RangeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  }
  const steps = input.shape[timeDim]!;
  const longest = Math.max(...list);
  if (longest > steps) throw new RangeError(`packPaddedSequence(): a length of ${longest} exceeds the input's ${steps} time steps`);
  if ((options.enforceSorted ?? true) && list.some((l, i) => i > 0 && l > list[i - 1]!)) {
    throw new RangeError(
      '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.',
    );
  }
  const timeFirst = tidy(() => (options.batchFirst ? input.transpose(0, 1) : input).narrow(0, 0, longest).contiguous());
  return new PackedSequence(timeFirst, list);
}

export interface PadPackedOptions {
  /** Return [batch, T, *] rather than [T, batch, *]. */
  batchFirst?: boolean;
  /** The value past each sequence's end (default 0). */
  paddingValue?: number;
  /** Pad to this many steps rather than the longest length (at least the longest). */
  totalLength?: number;
}

const PAD_PACKED_OPTIONS: OptionKeys<PadPackedOptions> = { batchFirst: true, paddingValue: true, totalLength: true };

/**
 * Undoes {@link packPaddedSequence}: the padded batch (with `paddingValue` past each length) and the
 * lengths as an int32 tensor, as torch.nn.utils.rnn.pad_packed_sequence.
 */
export function padPackedSequence(sequence: PackedSequence, options: PadPackedOptions = {}): [Tensor, Tensor] {
  checkOptions('padPackedSequence', options, PAD_PACKED_OPTIONS);
  const data = sequence.padded;
  const steps = data.shape[0]!;
  const total = options.totalLength ?? steps;
  if (total < steps) {
    throw new RangeError(
      `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total} and max sequence length being ${steps}`,
    );
  }
  return tidy(() => {
    const mask = sequence.validMask().reshape([steps, data.shape[1]!, ...data.shape.slice(2).map(() => 1)]);
    let padded = data.where(mask, options.paddingValue ?? 0);
    if (total > steps) padded = cat([padded, full([total - steps, ...data.shape.slice(1)], options.paddingValue ?? 0, { device: data.device })], 0);
    const lengths = tensor([...sequence.lengths], { dtype: 'int32', device: data.device });
    return [options.batchFirst ? padded.transpose(0, 1) : padded, lengths];
  });
}

export interface PackSequenceOptions {
  /** The sequences come longest first (default true); otherwise they are sorted, and unsorted on unpacking. */
  enforceSorted?: boolean;
}

const PACK_SEQUENCE_OPTIONS: OptionKeys<PackSequenceOptions> = { enforceSorted: true };

export interface UnpadSequenceOptions {
  /** The batch is dim 0 rather than dim 1 (default false). */
  batchFirst?: boolean;
}

const UNPAD_SEQUENCE_OPTIONS: OptionKeys<UnpadSequenceOptions> = { batchFirst: true };

/**
 * Packs sequences [L_i, *] without padding them first, as torch.nn.utils.rnn.pack_sequence:
 * `packPaddedSequence(padSequence(sequences), their lengths)`.
 */
export function packSequence(sequences: readonly Tensor[], options: PackSequenceOptions = {}): PackedSequence {
  checkOptions('packSequence', options, PACK_SEQUENCE_OPTIONS);
  const padded = padSequence(sequences);
  try {
    return packPaddedSequence(padded, sequences.map((s) => s.shape[0]!), options);
  } finally {
    padded.dispose();
  }
}

/**
 * Splits a padded batch back into its sequences, each cut to its length, as
 * torch.nn.utils.rnn.unpad_sequence (views of `padded`).
 */
export function unpadSequence(padded: Tensor, lengths: readonly number[] | Tensor, options: UnpadSequenceOptions = {}): Tensor[] {
  checkOptions('unpadSequence', options, UNPAD_SEQUENCE_OPTIONS);
  const list = lengthList('unpadSequence', lengths);
  const batchDim = options.batchFirst ? 0 : 1;
  if (padded.ndim < 2 || padded.shape[batchDim] !== list.length) {
    throw new RangeError(`unpadSequence(): expected ${list.length} sequences along dim ${batchDim}, got shape ${formatShape(padded.shape)}`);
  }
  const steps = padded.shape[1 - batchDim]!;
  const bad = list.find((l) => !Number.isInteger(l) || l < 0 || l > steps);
  if (bad !== undefined) throw new RangeError(`unpadSequence(): a length of ${bad} does not fit the ${steps} time steps`);
  return list.map((l, b) => padded.select(batchDim, b).narrow(0, 0, l));
}

/** The sequences of a {@link PackedSequence}, each cut to its length, as torch.nn.utils.rnn.unpack_sequence. */
export function unpackSequence(sequence: PackedSequence): Tensor[] {
  return unpadSequence(sequence.padded, sequence.lengths);
}
