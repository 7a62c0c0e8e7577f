/**
 * flint.nn: PyTorch's torch.nn in camelCase: Module and Parameter, layers, losses, `init`,
 * `functional` and `utils`.
 * @example
 * const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
 * const loss = flint.tidy(() => {
 *   const l = new nn.CrossEntropyLoss().forward(model.forward(x), labels);
 *   l.backward();
 *   return l.itemSync();
 * });
 */
export { Module, stateName, type LoadResult, type LoadStateDictOptions } from './module.ts';
export type { ForwardPreHook, ForwardHook, FullBackwardHook } from './module-hooks.ts';
export { Parameter } from './parameter.ts';
export * from './layers/index.ts';
export {
  Loss, NLLLoss, CrossEntropyLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
} from './losses/index.ts';
export * as functional from './functional.ts';
export * as init from './init.ts';
export * as utils from './utils/index.ts';
