/**
 * Division with rounding: fmod (C's, the remainder takes the dividend's sign), remainder
 * (Python's, the divisor's sign) and floorDivide, with PyTorch's integer semantics on int32.
 */
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { abs, add, div, floor, mul, neg, resultDType, sub, where } from './elementwise.ts';
import { eq, isfinite, logicalAnd, lt, ne } from './compare.ts';
import { any } from './reduce.ts';
import { backendOf, wrap } from './kernel.ts';
import { asOperands, broadcastOperands } from './broadcast.ts';
import { composed } from './composed.ts';
import { trunc } from './rounding.ts';
import { signBit } from './trig.ts';
import { tidy } from '../memory/scope.ts';
import { noGrad } from '../autograd/mode.ts';
import { full } from './creation.ts';

/** The operands' common dtype (bool computes in int32), after checking devices and shapes. */
function divisionDType(op: string, a: TensorLike, b: TensorLike): 'float32' | 'int32' {
  backendOf(op, a, b);
  broadcastOperands(op, [a, b]);
  const dtype = resultDType(op, a, b);
  return dtype === 'float32' ? 'float32' : 'int32';
}

/**
 * Integer division by zero is an error in PyTorch. A number divisor is always checked; a tensor
 * divisor is checked where the backend reads synchronously (a GPU backend cannot without stalling
 * its queue; there the backends' integer quotient by 0 is 0).
 */
function assertNoIntegerZero(op: string, b: TensorLike): void {
  const zero = b instanceof Tensor ? b.backend.readSync !== undefined && tidy(() => Boolean(any(eq(b, 0)).itemSync())) : Math.trunc(Number(b)) === 0;
  if (zero) throw new RangeError(`${op}(): ZeroDivisionError (integer division by zero)`);
}

/** A number divisor as a 0-d tensor beside the dividend, so the sign tests below apply to it too. */
function divisorTensor(a: Tensor, b: TensorLike, dtype: 'float32' | 'int32'): Tensor {
  return b instanceof Tensor ? b : full([], Number(b), { dtype, device: a.device });
}

/** a / b on int32, rounded toward zero: the backends' int32 div. */
function truncDivide(a: TensorLike, b: TensorLike): Tensor {
  const backend = backendOf('div', a, b);
  const shape = broadcastOperands('div', [a, b]);
  const { operands, temps } = asOperands('int32', shape, [a, b]);
  const out = wrap(backend, backend.binary('div', operands[0]!, operands[1]!), shape, 'int32');
  for (const t of temps) t.dispose();
  return out;
}

/** int32 quotient rounded toward zero and its remainder a - q b (exact: int32 products wrap like C's). */
function intDivMod(a: TensorLike, b: TensorLike): { q: Tensor; r: Tensor } {
  const q = truncDivide(a, b);
  return { q, r: sub(a, mul(q, b)) };
}

/** Where a nonzero remainder's sign differs from the divisor's: Python's rules then step the quotient down and the remainder by b. */
const crossesSign = (r: Tensor, b: Tensor): Tensor => logicalAnd(ne(r, 0), ne(lt(r, 0), lt(b, 0)));

/** Veltkamp's split of v into a high part of 12 significant bits and the rest, both exact in float32. */
function split(v: Tensor): [Tensor, Tensor] {
  const c = mul(v, 4097);
  const high = sub(c, sub(c, v));
  return [high, sub(v, high)];
}

/** Dekker's exact product: q b = product + error, with product the rounded float32 product. */
function twoProduct(q: Tensor, b: Tensor): { product: Tensor; error: Tensor } {
  const product = mul(q, b);
  const [qh, ql] = split(q);
  const [bh, bl] = split(b);
  const error = add(add(add(sub(mul(qh, bh), product), mul(qh, bl)), mul(ql, bh)), mul(ql, bl));
  return { product, error };
}

/**
 * Float fmod as a - trunc(a / b) b, with the product taken exactly (so 6 fmod 0.2 is 0.2 - 8e-8,
 * not 0), corrected where rounding of the quotient put the result
 * outside (-|b|, |b|) or across the dividend's sign; exact for b = ±Inf (the result is a). Past
 * |a / b| = 2^24 the float32 quotient no longer counts every b, and the result drifts from C's
 * exact fmod.
 */
function floatFmod(a: Tensor, b: Tensor): Tensor {
  const q = trunc(div(a, b));
  const { product, error } = twoProduct(q, b);
  const exact = sub(sub(a, product), error);
  // The split overflows for |q b| near the float32 range; there a rounded product is all there is.
  const r = where(isfinite(error), exact, sub(a, product));
  const step = mul(abs(b), where(signBit(a), -1, 1));
  const wrongSign = logicalAnd(ne(r, 0), ne(signBit(r), signBit(a)));
  const fixed = where(wrongSign, add(r, step), where(lt(abs(r), abs(b)), r, sub(r, step)));
  const keepsDividend = logicalAnd(isfinite(a), eq(abs(b), Infinity));
  // A zero result keeps the dividend's sign, as C's fmod does.
  return where(keepsDividend, a, where(eq(fixed, 0), mul(abs(fixed), where(signBit(a), -1, 1)), fixed));
}

/**
 * The remainder of a / b with the dividend's sign (C's fmod). int32 operands stay int32; integer
 * division by zero throws `ZeroDivisionError` (a tensor divisor is checked where the backend
 * reads synchronously; on a GPU backend its zero elements give the dividend).
 * @example flint.fmod(flint.tensor([-3, 3]), 2) // [-1, 1]
 */
export function fmod(a: Tensor, b: TensorLike): Tensor {
  if (divisionDType('fmod', a, b) === 'int32') {
    assertNoIntegerZero('fmod', b);
    return tidy(() => intDivMod(a, b).r);
  }
  return composed('fmod', [a, b], [a, b].filter((t): t is Tensor => t instanceof Tensor), () => floatFmod(a, divisorTensor(a, b, 'float32')),
    (g) => [g, neg(mul(g, trunc(div(a, b))))]);
}

/**
 * The remainder of a / b with the divisor's sign (Python's %, torch.remainder). int32 operands
 * stay int32; integer division by zero throws `ZeroDivisionError` (a tensor divisor is checked
 * where the backend reads synchronously; on a GPU backend its zero elements give the dividend).
 */
export function remainder(a: Tensor, b: TensorLike): Tensor {
  if (divisionDType('remainder', a, b) === 'int32') {
    assertNoIntegerZero('remainder', b);
    return tidy(() => {
      const { r } = intDivMod(a, b);
      return where(crossesSign(r, divisorTensor(a, b, 'int32')), add(r, b), r);
    });
  }
  return composed('remainder', [a, b], [a, b].filter((t): t is Tensor => t instanceof Tensor), () => {
    const d = divisorTensor(a, b, 'float32');
    const r = floatFmod(a, d);
    return where(crossesSign(r, d), add(r, d), r);
  }, (g) => [g, neg(mul(g, floor(div(a, b))))]);
}

/**
 * a / b rounded down (torch.floor_divide), computed from fmod as PyTorch does so that it agrees
 * with remainder; int32 operands stay int32, and integer division by zero throws
 * `ZeroDivisionError` (a tensor divisor is checked where the backend reads synchronously; on a GPU
 * backend its zero elements give 0, or -1 for a negative dividend). Not differentiable (PyTorch
 * defines no derivative): the result never requires grad.
 */
export function floorDivide(a: Tensor, b: TensorLike): Tensor {
  if (divisionDType('floorDivide', a, b) === 'int32') {
    assertNoIntegerZero('floorDivide', b);
    return tidy(() => {
      const { q, r } = intDivMod(a, b);
      return where(crossesSign(r, divisorTensor(a, b, 'int32')), sub(q, 1), q);
    });
  }
  return tidy(() => noGrad(() => {
    const d = divisorTensor(a, b, 'float32');
    const r = floatFmod(a, d);
    const q = div(sub(a, r), d);
    const stepped = where(crossesSign(r, d), sub(q, 1), q);
    const floored = floor(stepped);
    const rounded = where(lt(0.5, sub(stepped, floored)), add(floored, 1), floored);
    // A zero quotient keeps the sign of a / b; division by zero gives a / b itself (±Inf or NaN).
    const quotient = div(a, d);
    const result = where(eq(stepped, 0), where(signBit(quotient), -0, 0), rounded);
    return where(eq(d, 0), quotient, result);
  }));
}
