/** Checkpoints in the safetensors format: bytes everywhere, files on Node. */
export { serialize, deserialize, type StateDict, type SerializeOptions, type DeserializeOptions, type Checkpoint } from './safetensors.ts';
export { save, load, loadWithMetadata } from './file.ts';
