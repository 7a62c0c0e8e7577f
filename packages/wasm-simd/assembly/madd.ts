/**
 * a * b + c per lane: fused (one rounding) where the module is built with relaxed SIMD, else a
 * multiply and an add. The matrix products accumulate with it.
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
