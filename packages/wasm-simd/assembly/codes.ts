// Op and dtype codes shared with src/codes.ts, which lists the same names in the same order.

// Element types. F64 is internal: accumulators and scratch only.
export const F32: i32 = 0;
export const I32: i32 = 1;
export const U8: i32 = 2;
export const F64: i32 = 3;

// Unary ops.
export const NEG: i32 = 0;
export const ABS: i32 = 1;
export const SIGN: i32 = 2;
export const EXP: i32 = 3;
export const LOG: i32 = 4;
export const LOG1P: i32 = 5;
export const SQRT: i32 = 6;
export const RSQRT: i32 = 7;
export const RECIPROCAL: i32 = 8;
export const SIN: i32 = 9;
export const COS: i32 = 10;
export const TANH: i32 = 11;
export const SIGMOID: i32 = 12;
export const RELU: i32 = 13;
export const ERF: i32 = 14;
export const SOFTPLUS: i32 = 15;
export const FLOOR: i32 = 16;
export const CEIL: i32 = 17;
export const ROUND: i32 = 18;
export const GELU: i32 = 19;
export const GELU_TANH: i32 = 20;
export const SILU: i32 = 21;
export const ERFC: i32 = 22;
export const ISNAN: i32 = 23;
export const ISFINITE: i32 = 24;
export const LOGICAL_NOT: i32 = 25;

// Binary ops: arithmetic first, then comparisons (bool output).
export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;
export const POW: i32 = 4;
export const MAXIMUM: i32 = 5;
export const MINIMUM: i32 = 6;
export const EQ: i32 = 7;
export const NE: i32 = 8;
export const LT: i32 = 9;
export const LE: i32 = 10;
export const GT: i32 = 11;
export const GE: i32 = 12;
export const LOGICAL_AND: i32 = 13;
export const LOGICAL_OR: i32 = 14;

// Folding reductions.
export const SUM: i32 = 0;
export const PROD: i32 = 1;
export const MAX: i32 = 2;
export const MIN: i32 = 3;
