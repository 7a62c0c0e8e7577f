export { grad, backward, type BackwardOptions, type GradOptions } from './engine.ts';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './mode.ts';
export { Node } from './node.ts';
