// The kernels the host calls. Pointers are byte addresses into the imported memory, which the host
// allocates above heapBase().
export { unary, binary, where, cast, fill, arange } from './elementwise';
export { fold, argReduce, cumsumF64, fillF64 } from './reduce';
export { gather, scatterAdd } from './indexing';
export { maxPool2d } from './pool';
export { gemm, matmulInt, packABytes, packBBytes } from './matmul';
export { im2col, col2im } from './conv';
export { softmax, sgdStep, adamStep } from './fused';
export { convForward, convBackwardInput, convBackwardWeight } from './conv-samples';

/** First byte past the module's static data: the host allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
