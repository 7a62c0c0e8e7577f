/** flint.linalg: torch.linalg's norms in camelCase. */
export { vectorNorm, matrixNorm, type VectorNormOptions, type MatrixNormOptions, type NormOrder } from '../ops/norm.ts';
export { svdvals } from './svdvals.ts';
