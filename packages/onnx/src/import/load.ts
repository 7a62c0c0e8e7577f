/** `onnx.load`: an ONNX model (file bytes or a path) as a trainable flint module. */
import { decodeModel } from '../proto.ts';
import { OnnxModule, type GraphProto } from './module.ts';

/** The opsets the importer's ops follow; a model may use any opset up to the newest one here. */
const NEWEST_OPSET = 18;

/**
 * Reads an ONNX model (`torch.onnx.export`'s, or flint's own) into an {@link OnnxModule}: call it
 * with the graph's inputs in order; its float initializers are its parameters under their ONNX
 * names (`fc1.weight`), so it fine-tunes with any optimizer and takes a PyTorch state dict.
 * @example
 * const model = await onnx.load('model.onnx');
 * const logits = model.forward(flint.randn([8, 1, 28, 28])) as flint.Tensor;
 */
export async function loadOnnx(source: Uint8Array | ArrayBuffer | string): Promise<OnnxModule> {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    const { readFile } = await import('node:fs/promises');
    bytes = new Uint8Array(await readFile(source));
  } else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else if (source instanceof Uint8Array) bytes = source;
  else throw new TypeError('onnx.load(): expected the model as a Uint8Array, an ArrayBuffer or a file path');
  let model: Record<string, unknown>;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    throw new Error(`onnx.load(): the bytes are not an ONNX model (${(err as Error).message})`);
  }
  const opsets = (model.opsetImport as Array<{ domain?: string; version?: number }> | undefined) ?? [];
  const main = opsets.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (main?.version !== undefined && main.version > NEWEST_OPSET) {
    throw new RangeError(`onnx.load(): the model uses opset ${main.version}; flint reads opsets up to ${NEWEST_OPSET}`);
  }
  const graph = model.graph as GraphProto | undefined;
  if (!graph) throw new Error('onnx.load(): the model has no graph');
  return new OnnxModule(graph);
}
