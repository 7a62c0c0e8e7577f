/**
 * sin and cos to within a few float32 ulps over the whole float32 range. Drivers' own sin and
 * cos reduce the argument in float32 (an absolute error of 0.5 at 1e10, any value at all beyond),
 * so the argument is reduced here: x = r + q pi/2 with |r| <= pi/4, then a minimax polynomial in r.
 * Moderate arguments use Cody-Waite with pi/2 in four parts whose products with the quotient are
 * exact; larger ones use Payne-Hanek: the 24-bit mantissa times a window of 2/pi's bits in 32-bit
 * integer arithmetic, which compilers cannot reassociate the way they may float arithmetic.
 */
import type { LibraryFunction } from '../wgsl.ts';

/** Below this |x| the quotient j = round(x 2/pi) has at most 12 bits, so j times each part of pi/2 is exact. */
const CODY_WAITE_LIMIT = 6434;

export const TRIG_LIBRARY: readonly LibraryFunction[] = [
  ['Reduced', [], `// x = r + quadrant * pi/2, |r| <= pi/4 (quadrant modulo 4).
struct Reduced { r: f32, quadrant: u32 }`],
  ['mulHigh', [], `// The high word of the 64-bit product of two u32s.
fn mulHigh(a: u32, b: u32) -> u32 {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p01 = a0 * b1; let p10 = a1 * b0;
  let mid = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}`],
  ['reduceCodyWaite', ['Reduced'], `// |x| < ${CODY_WAITE_LIMIT}: pi/2 = P1 + P2 + P3 + P4, the first three of 12 bits each, so every j * Pk but
// the last is exact and x - j * P1 - j * P2 cancels without error.
fn reduceCodyWaite(x: f32) -> Reduced {
  let j = round(x * 0.6366197723675814);
  let r = (((x - j * 1.57080078125) - j * -4.453584551811218e-6) - j * -8.706138032721356e-10) - j * 6.223372171896613e-14;
  return Reduced(r, bitcast<u32>(i32(j)) & 3u);
}`],
  ['reducePayneHanek', ['Reduced', 'mulHigh'], `// |x| >= 2 (used from ${CODY_WAITE_LIMIT}): the fraction of x 2/pi from the product of x's mantissa with
// 192 bits of 2/pi, keeping 2 integer bits (the quadrant) and 62 fraction bits, enough for the
// closest a float32 comes to a multiple of pi/2.
fn reducePayneHanek(x: f32) -> Reduced {
  // 2/pi, least significant word first.
  var table = array<u32, 6>(0x3c439041u, 0xdb629599u, 0xf534ddc0u, 0xfc2757d1u, 0x4e441529u, 0xa2f9836eu);
  var product: array<u32, 7>;
  let bits = bitcast<u32>(x);
  let shift = ((bits >> 23u) & 0xffu) - 128u;
  let mantissa = (bits << 8u) | 0x80000000u;
  var carry = 0u;
  for (var k = 0u; k < 6u; k++) {
    let low = table[k] * mantissa + carry;
    carry = mulHigh(table[k], mantissa) + select(0u, 1u, low < carry);
    product[k] = low;
  }
  product[6] = carry;
  let at = 4u - (shift >> 5u);
  let e = shift & 31u;
  var hi = product[at + 2u];
  var lo = product[at + 1u];
  if (e != 0u) {
    hi = (hi << e) | (lo >> (32u - e));
    lo = (lo << e) | (product[at] >> (32u - e));
  }
  var quadrant = hi >> 30u;
  hi = (hi << 2u) | (lo >> 30u);
  lo = lo << 2u;
  // A fraction of one half or more is taken as (fraction - 1) of the next quadrant.
  let up = hi >= 0x80000000u;
  var negative = x < 0.0;
  if (up) {
    quadrant += 1u;
    negative = !negative;
    hi = ~hi;
    lo = 0u - lo;
    if (lo == 0u) { hi += 1u; }
  }
  let z = countLeadingZeros(hi);
  if (z != 0u) {
    hi = (hi << z) | (lo >> (32u - z));
    lo = lo << z;
  }
  // fraction = (hi + lo 2^-32) 2^-(32 + z); r = fraction * pi/2, pi/2 in two parts.
  let high = f32(hi >> 8u) * 5.9604644775390625e-8;
  let low = f32(((hi & 0xffu) << 24u) | (lo >> 8u)) * 1.3877787807814457e-17;
  let r = ldexp(high * 1.5707963705062866 + (high * -4.371139000186243e-8 + low * 1.5707963705062866), -i32(z));
  if (x < 0.0) { quadrant = 0u - quadrant; }
  return Reduced(select(r, -r, negative), quadrant & 3u);
}`],
  ['sinCos', ['reduceCodyWaite', 'reducePayneHanek'], `// sin(x) (cos(x) when cosine) for finite x: sin(r + k pi/2) from Cephes' minimax polynomials on [-pi/4, pi/4].
fn sinCos(x: f32, cosine: bool) -> f32 {
  let ax = abs(x);
  var reduced = Reduced(x, 0u);
  if (ax >= ${CODY_WAITE_LIMIT}.0) { reduced = reducePayneHanek(x); } else if (ax > 0.7853981633974483) { reduced = reduceCodyWaite(x); }
  let r = reduced.r;
  let k = reduced.quadrant + select(0u, 1u, cosine);
  let zz = r * r;
  let cosPoly = ((2.443315711809948e-5 * zz - 1.388731625493765e-3) * zz + 4.166664568298827e-2) * zz * zz - 0.5 * zz + 1.0;
  let sinPoly = ((-1.9515295891e-4 * zz + 8.3321608736e-3) * zz - 1.6666654611e-1) * zz * r + r;
  let v = select(sinPoly, cosPoly, (k & 1u) == 1u);
  return select(v, -v, (k & 2u) == 2u);
}`],
  ['fsin', ['sinCos', 'isFiniteBits', 'nan'], `fn fsin(x: f32) -> f32 { return select(nan(), sinCos(x, false), isFiniteBits(x)); }`],
  ['fcos', ['sinCos', 'isFiniteBits', 'nan'], `fn fcos(x: f32) -> f32 { return select(nan(), sinCos(x, true), isFiniteBits(x)); }`],
];
