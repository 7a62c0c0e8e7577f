/** Tolerances per op family, stated once: |actual - expected| <= atol + rtol * |expected|. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

const families: Record<string, Tolerance> = {
  exact: { rtol: 0, atol: 0 },
  elementwise: { rtol: 1e-5, atol: 1e-6 },
  transcendental: { rtol: 2e-5, atol: 1e-6 },
  reduction: { rtol: 1e-5, atol: 1e-5 },
  matmul: { rtol: 1e-4, atol: 1e-5 },
  conv: { rtol: 1e-4, atol: 1e-4 },
  gradient: { rtol: 1e-4, atol: 1e-5 },
};

const familyOf: Record<string, string> = {
  argmax: 'exact', argmin: 'exact', sign: 'exact', floor: 'exact', ceil: 'exact', round: 'exact',
  exp: 'transcendental', log: 'transcendental', sin: 'transcendental', cos: 'transcendental', tanh: 'transcendental',
  sigmoid: 'transcendental', gelu: 'transcendental', geluTanh: 'transcendental', silu: 'transcendental', softplus: 'transcendental',
  erf: 'transcendental', erfc: 'transcendental', log1p: 'transcendental', sqrt: 'transcendental', rsqrt: 'transcendental', pow: 'transcendental', powScalar: 'transcendental',
  sum: 'reduction', mean: 'reduction', var: 'reduction', std: 'reduction', prod: 'reduction', logsumexp: 'reduction', softmax: 'reduction',
  logSoftmax: 'reduction', cumsum: 'reduction',
  matmul: 'matmul', matmulT: 'matmul', conv2d: 'conv', avgPool2d: 'conv', adaptiveAvgPool2d: 'conv', avgPool1d: 'conv', adaptiveAvgPool1d: 'conv', adaptiveMaxPool2dIndices: 'exact',
  conv2dWith: 'conv', conv1d: 'conv', convTranspose2d: 'conv', convTranspose2dT: 'conv', convTranspose1d: 'conv', conv3d: 'conv',
  Conv2d: 'conv', Conv2dModule: 'conv', Conv1dModule: 'conv', Conv3dModule: 'conv', ConvTranspose2dModule: 'conv', ConvTranspose1dModule: 'conv',
  // Attention stacks: several matmuls, softmax and layer norms deep, so their rounding is a matmul's.
  MultiheadAttentionModule: 'matmul', TransformerEncoder: 'matmul', TransformerDecoderLayer: 'matmul', TransformerDecoder: 'matmul', Transformer: 'matmul',
  // A second-derivative fixture's value is itself a gradient.
  gradOf: 'gradient',
};

/** The forward tolerance of an op (elementwise by default). */
export function forwardTolerance(op: string): Tolerance {
  return families[familyOf[op] ?? 'elementwise']!;
}

/** Gradient tolerance: the looser of the op's own and the gradient family's. */
export function gradientTolerance(op: string): Tolerance {
  const own = forwardTolerance(op);
  const g = families.gradient!;
  return { rtol: Math.max(own.rtol, g.rtol), atol: Math.max(own.atol, g.atol) };
}
