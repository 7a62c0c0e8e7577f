/**
 * exp, log, log1p and their base-2 forms with float32 accuracy over the whole range, subnormals
 * included. Drivers' exp may flush results below 2^-126 to 0 and may be 60 ulps off (lavapipe
 * near -81); their log may flush subnormal inputs and has only an absolute error bound near 1
 * (a relative error of 2.4 at log(1 - 3e-8)). So both are computed here. log takes the exponent
 * and mantissa from the bits (subnormals normalised in integer arithmetic, so even drivers that
 * flush subnormals in float arithmetic read them), then Cephes' logf polynomial on
 * [sqrt(1/2), sqrt(2)); exp reduces by multiples of ln 2, then Cephes' expf polynomial. Nothing
 * relies on (1 + x) - 1 being computed as written: compilers may fold it to x.
 */
import type { LibraryFunction } from '../wgsl.ts';

export const EXP_LOG_LIBRARY: readonly LibraryFunction[] = [
  ['pow2', [], `// 2^k for an integer k in [-126, 127], from the bits.
fn pow2(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }`],
  ['expReduced', ['pow2'], `// c e^r 2^n for |r| <= ln(2) / 2 and an integer n in [-151, 128]: 2^n is applied last, in two
// exact halves, so a subnormal result is rounded once.
fn expReduced(r: f32, n: f32, c: f32) -> f32 {
  var p = 1.9875691500e-4 * r + 1.3981999507e-3;
  p = p * r + 8.3334519073e-3;
  p = p * r + 4.1665795894e-2;
  p = p * r + 1.6666665459e-1;
  p = p * r + 5.0000001201e-1;
  let er = p * (r * r) + r + 1.0;
  let k = i32(n);
  let half = k / 2;
  return (c * er) * pow2(half) * pow2(k - half);
}`],
  ['timesZero', ['isFiniteBits', 'nan'], `// c * 0 as IEEE has it (NaN for an infinite or NaN c, else 0 with c's sign), which compilers
// may fold to 0.
fn timesZero(c: f32) -> f32 { return select(nan(), bitcast<f32>(bitcast<u32>(c) & 0x80000000u), isFiniteBits(c)); }`],
  ['fexpTimes', ['isNan', 'inf', 'expReduced', 'timesZero'], `// c e^x for |c| <= 2^24, rounded once even where e^x alone would be subnormal:
// n = round(x / ln 2), r = x - n ln 2 with ln 2 in two parts, the first of 9 bits so n times it
// is exact.
fn fexpTimes(x: f32, c: f32) -> f32 {
  if (isNan(x)) { return x; }
  if (x > 88.72284) { return c * inf(); }
  if (x < -104.0) { return timesZero(c); }
  let n = round(x * 1.4426950408889634);
  return expReduced((x - n * 0.693359375) - n * -2.12194440e-4, n, c);
}`],
  ['fexp', ['fexpTimes'], `fn fexp(x: f32) -> f32 { return fexpTimes(x, 1.0); }`],
  ['fexp2', ['isNan', 'inf', 'expReduced'], `// 2^y: y - round(y) is exact, so powers of two come out exact.
fn fexp2(y: f32) -> f32 {
  if (isNan(y)) { return y; }
  if (y >= 128.0) { return inf(); }
  if (y < -150.0) { return 0.0; }
  let n = round(y);
  return expReduced((y - n) * 0.6931471805599453, n, 1.0);
}`],
  ['logReduced', [], `// log(1 + f) + e ln 2 for f in [sqrt(1/2) - 1, sqrt(2) - 1] (Cephes' logf), ln 2 in two parts.
fn logReduced(f: f32, e: f32) -> f32 {
  let z = f * f;
  var y = 7.0376836292e-2 * f - 1.1514610310e-1;
  y = y * f + 1.1676998740e-1;
  y = y * f - 1.2420140846e-1;
  y = y * f + 1.4249322787e-1;
  y = y * f - 1.6668057665e-1;
  y = y * f + 2.0000714765e-1;
  y = y * f - 2.4999993993e-1;
  y = y * f + 3.3333331174e-1;
  y = y * f * z - 2.12194440e-4 * e - 0.5 * z;
  return (f + y) + 0.693359375 * e;
}`],
  ['LogParts', [], `// x = 2^e (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)).
struct LogParts { f: f32, e: f32 }`],
  ['logParts', ['LogParts'], `// The parts of a positive finite x, subnormal or not, from its bits.
fn logParts(x: f32) -> LogParts {
  var bits = bitcast<u32>(x);
  var e = i32(bits >> 23u) - 127;
  if (bits < 0x00800000u) {
    let s = countLeadingZeros(bits) - 8u;
    bits = bits << s;
    e = -126 - i32(s);
  }
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    e += 1;
  }
  return LogParts(m - 1.0, f32(e));
}`],
  ['logSpecial', ['nan', 'inf'], `// Whether log(x) is not a finite number: +-0 (-inf), below 0 or NaN (NaN), +inf (+inf).
fn logSpecial(x: f32) -> bool { return bitcast<u32>(x) - 1u >= 0x7f7fffffu; }`],
  ['logOfSpecial', ['nan', 'inf'], `fn logOfSpecial(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x7fffffffu) == 0u) { return -inf(); }
  return select(x, nan(), bits > 0x7f800000u);
}`],
  ['flog', ['logReduced', 'logParts', 'logSpecial', 'logOfSpecial'], `// Natural log: -inf at +-0, NaN below 0, +inf at +inf.
fn flog(x: f32) -> f32 {
  if (logSpecial(x)) { return logOfSpecial(x); }
  let parts = logParts(x);
  return logReduced(parts.f, parts.e);
}`],
  ['flog2', ['logReduced', 'logParts', 'logSpecial', 'logOfSpecial'], `// Base-2 log: exact at powers of two.
fn flog2(x: f32) -> f32 {
  if (logSpecial(x)) { return logOfSpecial(x); }
  let parts = logParts(x);
  return parts.e + logReduced(parts.f, 0.0) * 1.4426950408889634;
}`],
  ['powMagnitude', ['logParts', 'logReduced', 'logSpecial', 'logOfSpecial', 'expReduced', 'inf'], `// a^b for a > 0 (subnormal or +inf too) as 2^(b log2 a), log2 a = e + l. The rounding of
// b log2 a would cost |b log2 a| 2^-24 of relative error (90 ulps at 2^127): b e is kept exact
// instead, as bh e + bl e with b = bh + bl split at 12 bits, and its integer part taken out
// before the rest is added; only b l (|l| <= 1/2) rounds.
fn powMagnitude(a: f32, b: f32) -> f32 {
  if (logSpecial(a)) { return select(inf(), 0.0, b < 0.0); }
  let parts = logParts(a);
  let l = logReduced(parts.f, 0.0) * 1.4426950408889634;
  let bh = bitcast<f32>(bitcast<u32>(b) & 0xfffff000u);
  let high = bh * parts.e;
  let whole = round(high);
  let rest = ((high - whole) + (b - bh) * parts.e) + b * l;
  let extra = round(rest);
  let n = whole + extra;
  if (n > 128.0) { return inf(); }
  if (n < -151.0) { return 0.0; }
  return expReduced((rest - extra) * 0.6931471805599453, n, 1.0);
}`],
  ['flog1p', ['flog', 'logReduced'], `// log(1 + x): the polynomial of x itself where 1 + x lies in [sqrt(1/2), sqrt(2)), else
// the log of the rounded 1 + x, whose rounding error is small against a result of at least 0.34.
fn flog1p(x: f32) -> f32 {
  if (x == 0.0) { return x; } // keeps -0
  if (x >= -0.29289321881345254 && x < 0.41421356237309515) { return logReduced(x, 0.0); }
  return flog(1.0 + x);
}`],
];
