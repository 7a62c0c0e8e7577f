/**
 * Bad values, types and sizes: each is rejected where it enters, with an error of PyTorch's class
 * and words that names the public op called, before anything changes (no values written, no
 * tensors or storages left behind).
 */
import * as flint from '@flint/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { readsSynchronously, thrownBy } from '../helpers.ts';

const f32 = { dtype: 'float32' } as const;
const i32 = { dtype: 'int32' } as const;

/** A failing call: the tensors it could change, and the call itself. */
interface Arranged {
  readonly watched: flint.Tensor[];
  readonly act: () => unknown;
}

type BadCase = readonly [what: string, arrange: (ctx: SuiteContext) => Arranged, error: new (...args: never[]) => Error, message: RegExp];

/** A call that makes no tensor of its own before it throws. */
const call = (act: () => unknown): Arranged => ({ watched: [], act });

/** A call on `inputs`, made beforehand, that must change none of them. */
function on<T extends flint.Tensor[]>(inputs: [...T], act: (...inputs: T) => unknown): Arranged {
  return { watched: inputs, act: () => act(...(inputs as T)) };
}

const disposed = (shape: number[]): flint.Tensor => {
  const t = flint.ones(shape);
  t.dispose();
  return t;
};

/** A parameter [2] holding a gradient, for the assignments that must leave both alone. */
function withGrad(): flint.Tensor {
  const p = flint.tensor([1, 2], f32).requiresGrad_();
  p.grad = flint.tensor([0.5, 0.25], f32);
  return p;
}

/** A safetensors file whose one metadata value nests `depth` arrays deep. */
function deepHeader(depth: number): Uint8Array {
  const text = `{"__metadata__":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
  const header = new TextEncoder().encode(text);
  const bytes = new Uint8Array(8 + header.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  return bytes;
}

const F = flint.nn.functional;

/** Values that were once silently accepted (wrapped, coerced, NaN) and now throw. */
const silentlyAccepted: readonly BadCase[] = [
  ['an int32 tensor() value out of range', () => call(() => flint.tensor([3e9])), RangeError, /^tensor\(\): value cannot be converted to type int32 without overflow \(got 3000000000\)$/],
  ['a NaN tensor() value for int32', () => call(() => flint.tensor([1.5, NaN], i32)), RangeError, /^tensor\(\): value cannot be converted to type int32 without overflow \(got NaN\)$/],
  ['a NaN full() value for int32', () => call(() => flint.full([2], NaN, i32)), RangeError, /^full\(\): value cannot be converted to type int32 without overflow \(got NaN\)$/],
  ['a string full() value', () => call(() => flint.full([2], '1' as unknown as number)), TypeError, /^full\(\): fill_value must be a number or a boolean, not string$/],
  ['an int32 fill_() value out of range', () => on([flint.tensor([1, 2], i32)], (x) => x.fill_(2 ** 31)), RangeError, /^fill_\(\): value cannot be converted to type int32 without overflow \(got 2147483648\)$/],
  ['randint() past int32', () => call(() => flint.randint(0, 2 ** 40, [4])), RangeError, /^randint\(\): to - 1 is out of bounds for int32$/],
  ['randint() below int32', () => call(() => flint.randint(-(2 ** 40), 0, [4])), RangeError, /^randint\(\): from is out of bounds for int32$/],
  ['arange() to NaN', () => call(() => flint.arange(0, NaN)), RangeError, /^arange\(\): unsupported range: 0 -> NaN$/],
  ['arange() to Infinity', () => call(() => flint.arange(0, Infinity)), RangeError, /^arange\(\): unsupported range: 0 -> Infinity$/],
  ['arange() by a NaN step', () => call(() => flint.arange(0, 5, NaN)), RangeError, /^arange\(\): step must be nonzero$/],
  ['an int32 arange() past int32', () => call(() => flint.arange(2 ** 31 - 2, 2 ** 31 + 2)), RangeError, /^arange\(\): value cannot be converted to type int32 without overflow \(got 2147483649\)$/],
  ['expand() to a negative size', () => on([flint.ones([1])], (x) => x.expand([-2])), RangeError, /^expand\(\): Trying to create tensor with negative dimension -2: \[-2\]$/],
  ['expand() with -1 in a new leading dim', () => on([flint.ones([2])], (x) => x.expand([-1, 2])), RangeError, /^expand\(\): The expanded size of the tensor \(-1\) isn't allowed in a leading, non-existing dimension 0$/],
  ['unflatten() into negative sizes', () => on([flint.ones([4])], (x) => x.unflatten(0, [-2, -2])), RangeError, /^unflatten\(\): Trying to create tensor with negative dimension -2: \[-2, -2\]$/],
  ['a fractional size', () => call(() => flint.zeros([1.5])), RangeError, /^zeros\(\): invalid shape \[1\.5\]: sizes must be non-negative integers$/],
  ['sizes whose product is past 2^53', () => call(() => flint.zeros([2 ** 30, 2 ** 30, 2 ** 30])), RangeError, /^zeros\(\): invalid shape \[1073741824, 1073741824, 1073741824\]: the number of elements overflows$/],
  ['a .grad of another size', () => { const p = withGrad(); return on([p, p.grad!, flint.zeros([5])], (p, _, g) => (p.grad = g)); }, RangeError, /^grad: assigned grad has data of a different size \(\[5\], the tensor is \[2\]\)$/],
  ['a .grad of another dtype', () => { const p = withGrad(); return on([p, p.grad!, flint.zeros([2], i32)], (p, _, g) => (p.grad = g)); }, TypeError, /^grad: assigned grad has data of a different type \(int32, the tensor is float32\)$/],
  ['a .grad on another device', (ctx) => { const p = withGrad(); return on([p, p.grad!, flint.zeros([2], { device: ctx.reference })], (p, _, g) => (p.grad = g)); }, Error, /^grad: assigned grad has data located on a different device \(.+, the tensor is on .+\)$/],
  ['a tensor as its own .grad', () => { const p = withGrad(); return on([p, p.grad!], (p, _) => (p.grad = p)); }, Error, /^grad: can't assign Variable as its own grad$/],
  ['a string operand', () => on([flint.ones([2])], (x) => flint.mul(x, '2' as unknown as number)), TypeError, /^mul\(\): argument 2 must be a Tensor, a number or a boolean, not string$/],
  ['a null operand', () => on([flint.ones([2])], (x) => flint.sub(x, null as unknown as number)), TypeError, /^sub\(\): argument 2 must be a Tensor, a number or a boolean, not null$/],
  ['an undefined in-place operand', () => on([flint.ones([2])], (x) => x.add_(undefined as unknown as number)), TypeError, /^add_\(\): missing required argument 2: expected a Tensor, a number or a boolean$/],
  ['an array operand of where()', () => { const x = flint.ones([2]); return on([x, x.gt(0)], (x, mask) => flint.where(mask, x, [1] as unknown as number)); }, TypeError, /^where\(\): argument 3 must be a Tensor, a number or a boolean, not Array$/],
  ['an object compared', () => on([flint.ones([2])], (x) => x.gt({} as unknown as number)), TypeError, /^gt\(\): argument 2 must be a Tensor, a number or a boolean, not Object$/],
  ['avgPool2d() with divisorOverride 0', () => on([flint.ones([1, 1, 2, 2])], (x) => F.avgPool2d(x, 2, { divisorOverride: 0 })), RangeError, /^avgPool2d\(\): divisor must be not zero$/],
  ['avgPool2d() with a fractional divisorOverride', () => on([flint.ones([1, 1, 2, 2])], (x) => F.avgPool2d(x, 2, { divisorOverride: 1.5 })), TypeError, /^avgPool2d\(\): divisor_override must be an integer, got 1\.5$/],
];

/** Errors that were vague or named an op the user never called. */
const namedErrors: readonly BadCase[] = [
  ['an allocation past the backend', () => call(() => flint.zeros([1e6, 1e6])), RangeError, /^zeros\(\): cannot allocate 1000000000000 elements of float32 \(4000000000000 bytes\): more than the .+ backend can allocate \(.+\)$/],
  ['std() over a dim out of range', () => on([flint.zeros([2])], (x) => x.std(3)), RangeError, /^std\(\): Dimension out of range \(expected to be in range of \[-1, 0\], but got 3\)$/],
  ['std() of a disposed tensor', () => call(() => disposed([2, 3]).std()), Error, /^std\(\): Tensor has been disposed/],
  ['any() of a disposed float tensor', () => call(() => disposed([2, 3]).any()), Error, /^any\(\): Tensor has been disposed/],
  ['all() over a dim out of range', () => on([flint.ones([2])], (x) => x.all(1)), RangeError, /^all\(\): Dimension out of range/],
  ['avgPool2d() of an int32 input', () => on([flint.ones([1, 1, 2, 2], i32)], (x) => F.avgPool2d(x, 2)), TypeError, /^avgPool2d\(\): expected a float32 input, got int32$/],
  ['avgPool2d() of an input with no channels', () => on([flint.ones([1, 0, 3, 3])], (x) => F.avgPool2d(x, 2)), RangeError, /^avgPool2d\(\): Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size for input, but got: \[1, 0, 3, 3\]$/],
  ['nn.Linear() of a negative size', () => call(() => new flint.nn.Linear(-1, 3)), RangeError, /^Linear\(\): in_features must be a non-negative integer, but got -1$/],
  ['nn.Embedding() of a fractional size', () => call(() => new flint.nn.Embedding(2.5, 3)), TypeError, /^Embedding\(\): num_embeddings must be a positive integer, but got 2\.5$/],
  ['onesLike() of a number', () => call(() => flint.onesLike(3 as unknown as flint.Tensor)), TypeError, /^onesLike\(\): argument 'input' must be a Tensor, not number$/],
  ['keep() of a number', () => call(() => flint.keep(3 as unknown as flint.Tensor)), TypeError, /^keep\(\): expected a Tensor, got number$/],
  [
    'a crossEntropy() target on another device',
    (ctx) => on([flint.zeros([4, 3]), flint.zeros([4], { ...i32, device: ctx.reference })], F.crossEntropy),
    Error,
    /^crossEntropy\(\): Expected all tensors to be on the same device, but found at least two devices, .+ and .+\. Move one with t\.to\('.+'\)\.$/,
  ],
  ['an nllLoss() target on another device', (ctx) => on([flint.zeros([4, 3]), flint.zeros([4], { ...i32, device: ctx.reference })], F.nllLoss), Error, /^nllLoss\(\): Expected all tensors to be on the same device/],
  ['float class labels to crossEntropy()', () => on([flint.zeros([4, 3]), flint.zeros([4])], F.crossEntropy), RangeError, /^crossEntropy\(\): Expected target size \[4, 3\], got \[4\]; class indices must be int32: convert the labels with target\.int\(\)$/],
  ['a binaryCrossEntropy() target on another device', (ctx) => on([flint.full([2], 0.5), flint.zeros([2], { device: ctx.reference })], F.binaryCrossEntropy), Error, /^binaryCrossEntropy\(\): Expected all tensors to be on the same device/],
  ['an mseLoss() target disposed', () => on([flint.zeros([2])], (x) => F.mseLoss(x, disposed([2]))), Error, /^mseLoss\(\): Tensor has been disposed/],
  ['safetensors metadata nested 100,000 deep', () => call(() => flint.deserialize(deepHeader(100_000))), Error, /^deserialize\(\): safetensors: the header nests 100002 levels deep; a safetensors header nests at most 3/],
];

/** Everything flint holds, for comparison before and after a failed call. */
function held(): { tensors: number; storages: number; bytes: number } {
  const { tensors, storages, bytes } = flint.memory();
  return { tensors, storages, bytes };
}

async function snapshot(tensors: readonly flint.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => Array.from(await t.data())));
}

function runCases(ctx: SuiteContext, cases: readonly BadCase[]): void {
  for (const [what, arrange, error, message] of cases) {
    it(`${what} throws ${error.name} and changes nothing`, async () => {
      const { watched, act } = arrange(ctx);
      const values = await snapshot(watched);
      const before = held();
      const caught = thrownBy(act);
      expect(caught, `expected a throw matching ${message}`).toBeInstanceOf(error);
      expect((caught as Error).message).toMatch(message);
      expect(held(), 'tensors or storages left behind by the failing call').toEqual(before);
      expect(await snapshot(watched)).toEqual(values);
      for (const t of watched) t.dispose();
    });
  }
}

export function badValuesSuite(ctx: SuiteContext): void {
  describe('bad values: silently accepted values now throw', () => {
    runCases(ctx, silentlyAccepted);

    it('binaryCrossEntropy() of inputs outside [0, 1] throws where the backend reads synchronously, and is NaN elsewhere', async () => {
      const input = flint.tensor([1.5, 0.5], f32);
      const target = flint.tensor([1, 0], f32);
      const nan = flint.tensor([NaN, 0.5], f32);
      if (readsSynchronously(input)) {
        expect(() => F.binaryCrossEntropy(input, target)).toThrow(/^binaryCrossEntropy\(\): all elements of input should be between 0 and 1$/);
        expect(() => F.binaryCrossEntropy(nan, target)).toThrow(RangeError);
      } else {
        const loss = F.binaryCrossEntropy(input, target);
        expect(Number.isNaN(await loss.item())).toBe(true);
        loss.dispose();
      }
      for (const t of [input, target, nan]) t.dispose();
    });

    it('LayerNorm with bias: false has a weight and no bias, and normalises without a shift', async () => {
      const norm = new flint.nn.LayerNorm(4, { bias: false });
      expect(norm.namedParameters().map(([name]) => name)).toEqual(['weight']);
      expect([...norm.stateDict().keys()]).toEqual(['weight']);
      const x = flint.tensor([[1, 2, 3, 4]], f32);
      const y = norm.call(x);
      // Mean 2.5, biased variance 1.25: (x - 2.5) / sqrt(1.25 + 1e-5), times the unit weight.
      const expected = [1, 2, 3, 4].map((v) => (v - 2.5) / Math.sqrt(1.25 + 1e-5));
      const got = Array.from(await y.data());
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      for (const t of [x, y]) t.dispose();
      norm.dispose();
    });
  });

  describe('bad values: errors name the op called and the problem', () => {
    runCases(ctx, namedErrors);

    it('itemSync() and tolistSync() name their async alternatives where the backend cannot read synchronously', async () => {
      const t = flint.tensor([2.5], f32);
      if (readsSynchronously(t)) {
        expect(t.itemSync()).toBe(2.5);
        expect(t.tolistSync()).toEqual([2.5]);
      } else {
        expect(() => t.itemSync()).toThrow(/^itemSync\(\): the .+ backend cannot read synchronously; use `await t\.item\(\)` instead\.$/);
        expect(() => t.tolistSync()).toThrow(/^tolistSync\(\): .+ use `await t\.tolist\(\)` instead\.$/);
      }
      t.dispose();
    });
  });

  describe('bad values: a module that throws in forward is named by its path and repr', () => {
    class Net extends flint.nn.Module {
      layers = new flint.nn.Sequential(new flint.nn.Linear(10, 5), new flint.nn.ReLU());
      head = new flint.nn.Linear(5, 2);
      forward(x: flint.Tensor): flint.Tensor {
        return this.head.call(this.layers.call(x));
      }
    }
    const linear = 'Linear(in_features=10, out_features=5, bias=True)';
    const product = 'mat1 and mat2 shapes cannot be multiplied (4x8 and 10x5)';
    const modules: Array<[string, (net: Net, x: flint.Tensor) => unknown, string]> = [
      ['the outermost module names the innermost by its full path', (net, x) => net.call(x), `layers.0 (${linear}): ${product}`],
      ['a container called directly names its child', (net, x) => net.layers.call(x), `0 (${linear}): ${product}`],
      ['a layer called directly names itself', (net, x) => (net.layers.at(0) as flint.nn.Linear).call(x), `${linear}: ${product}`],
    ];
    for (const [what, run, message] of modules) {
      it(`${what}, once, keeping the error's class`, async () => {
        flint.manualSeed(0);
        const net = new Net();
        const x = flint.zeros([4, 8]);
        const parameters = net.parameters();
        const values = await snapshot(parameters);
        const before = held();
        const caught = thrownBy(() => run(net, x));
        expect(caught).toBeInstanceOf(RangeError);
        expect((caught as Error).message).toBe(message);
        expect((caught as Error).stack?.startsWith(`RangeError: ${message}`)).toBe(true);
        expect(held()).toEqual(before);
        expect(await snapshot(parameters)).toEqual(values);
        x.dispose();
        net.dispose();
      });
    }
  });

  describe('bad values: regression losses warn on a target of another size', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });
    const losses: Array<[string, (input: flint.Tensor, target: flint.Tensor) => flint.Tensor]> = [
      ['mseLoss', (a, b) => F.mseLoss(a, b)],
      ['l1Loss', (a, b) => F.l1Loss(a, b)],
      ['smoothL1Loss', (a, b) => F.smoothL1Loss(a, b)],
      ['huberLoss', (a, b) => F.huberLoss(a, b)],
    ];
    for (const [name, loss] of losses) {
      it(`${name}() of [4, 1] against [4] warns once from one place, in PyTorch's words`, async () => {
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
        const input = flint.ones([4, 1]);
        const target = flint.zeros([4]);
        const same = flint.zeros([4, 1]);
        for (let step = 0; step < 3; step++) loss(input, target).dispose();
        loss(input, same).dispose();
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn).toHaveBeenCalledWith(
          `${name}(): Using a target size ([4]) that is different to the input size ([4, 1]). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
        );
        // The broadcast it warns about: [4, 1] - [4] is [4, 4], 16 terms of 1.
        const sum = loss(input, target);
        expect(await sum.item()).toBeCloseTo(name === 'mseLoss' || name === 'l1Loss' ? 1 : 0.5, 6);
        for (const t of [input, target, same, sum]) t.dispose();
      });
    }
  });
}
