export { Loss, type Reduction, type ReductionOptions } from './reduction.ts';
export { nllLoss, crossEntropy, NLLLoss, CrossEntropyLoss, type NLLLossOptions, type CrossEntropyOptions } from './cross-entropy.ts';
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, type SmoothL1Options, type HuberOptions } from './regression.ts';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, BCELoss, BCEWithLogitsLoss, type BCEOptions, type BCEWithLogitsOptions } from './binary.ts';
export { klDiv, KLDivLoss, type KLDivOptions } from './kl-div.ts';
