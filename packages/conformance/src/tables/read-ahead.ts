/**
 * How the fixture ops whose result size depends on the values run on a backend that cannot read
 * synchronously (webgpu), as its users run them: the values are read first with the `Async` ops
 * (nonzeroAsync, uniqueAsync), then the rest of the op runs with what was read, differentiably where
 * the op is. Each entry reads what it needs from the decoded inputs and returns the op to run.
 */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

type ReadAhead = (inputs: flint.Tensor[], args: Args) => Promise<OpFn>;

/** The host coordinates of a bool mask's true elements, one Int32Array per dim. */
async function coordinates(mask: flint.Tensor): Promise<Int32Array[]> {
  const columns = (await flint.nonzeroAsync(mask, { asTuple: true })) as flint.Tensor[];
  const host = await Promise.all(columns.map(async (c) => Int32Array.from(await c.data())));
  for (const c of columns) c.dispose();
  return host;
}

/** The tensor a host-computing async op returned, kept on the host and made again when the case runs. */
async function recreated(result: flint.Tensor): Promise<OpFn> {
  const { shape, dtype } = result;
  const data = await result.data();
  result.dispose();
  return () => flint.tensor(data, { dtype }).reshape(shape);
}

const int32 = (coords: Int32Array[]): flint.Tensor[] => coords.map((c) => flint.tensor(c, { dtype: 'int32' }));

/** The index spec of fixtures/index.json with each bool mask replaced by its coordinates. */
async function maskFreeSpec(xs: flint.Tensor[], a: Args): Promise<(xs: flint.Tensor[]) => flint.AdvancedIndexSpec[]> {
  type Entry = { t: number } | flint.AdvancedIndexSpec;
  type Resolved = { kind: 'fixed'; spec: flint.AdvancedIndexSpec } | { kind: 'mask'; coords: Int32Array[] } | { kind: 'input'; at: number };
  const entries = await Promise.all(
    (a.spec as Entry[]).map(async (e): Promise<Resolved> => {
      if (e === null || typeof e !== 'object' || Array.isArray(e) || !('t' in e)) return { kind: 'fixed', spec: e as flint.AdvancedIndexSpec };
      return xs[e.t]!.dtype === 'bool' ? { kind: 'mask', coords: await coordinates(xs[e.t]!) } : { kind: 'input', at: e.t };
    }),
  );
  return (inputs) => entries.flatMap((e) => (e.kind === 'fixed' ? [e.spec] : e.kind === 'mask' ? int32(e.coords) : [inputs[e.at]!]));
}

const parts = ['values', 'inverse', 'counts'];

async function uniquePart(all: flint.Tensor[], a: Args): Promise<OpFn> {
  const wanted = all[parts.indexOf(a.part as string)]!;
  for (const t of all) if (t !== wanted) t.dispose();
  return recreated(wanted);
}

const pre = (x: flint.Tensor, a: Args): flint.Tensor => (a.transposed ? x.mT : x);
const uniqueOptions = (a: Args) => ({ dim: a.dim as number | undefined, returnInverse: true, returnCounts: true }) as const;

export const readAheadTable: Record<string, ReadAhead> = {
  async index(xs, a) {
    const spec = await maskFreeSpec(xs, a);
    return (inputs) => inputs[0]!.index(...spec(inputs));
  },
  async setIndex(xs, a) {
    const spec = await maskFreeSpec(xs, a);
    return (inputs) => inputs[0]!.clone().setIndex(spec(inputs), typeof a.value === 'number' ? a.value : inputs[(a.value as { t: number }).t]!);
  },
  async maskedSelect([x, mask]) {
    const shape = flint.broadcastShapes('maskedSelect', x!.shape, mask!.shape);
    const wide = mask!.expand(shape);
    const coords = await coordinates(wide);
    wide.dispose();
    return ([input]) => input!.expand(shape).index(...int32(coords));
  },
  async maskedScatter([x, mask]) {
    const wide = mask!.expand(x!.shape);
    const coords = await coordinates(wide);
    wide.dispose();
    const count = coords[0]?.length ?? 0;
    return ([input, , source]) => input!.clone().setIndex(int32(coords), source!.reshape([-1]).narrow(0, 0, count));
  },
  nonzero: async ([x]) => recreated((await flint.nonzeroAsync(x!)) as flint.Tensor),
  argwhere: async ([x]) => recreated((await flint.nonzeroAsync(x!)) as flint.Tensor),
  unique: async ([x], a) => {
    const view = pre(x!, a);
    const all = await flint.uniqueAsync(view, uniqueOptions(a));
    if (view !== x) view.dispose();
    return uniquePart(all, a);
  },
  uniqueConsecutive: async ([x], a) => uniquePart(await flint.uniqueConsecutiveAsync(x!, uniqueOptions(a)), a),
};
