/** The book the text tab trains on, fetched from the server as one plain-text file. */
import { splitIds, Vocabulary } from '@flint/example-char-gpt/model';

export interface TextData {
  /** Characters in the book. */
  readonly length: number;
  readonly vocab: Vocabulary;
  /** The first 90% of the book as character ids (nanoGPT's split; the rest is not used here). */
  readonly train: Int32Array;
}

/** The characters of `text` as ids over its own sorted distinct characters, and the training split. */
export function encodeText(text: string): TextData {
  const vocab = Vocabulary.fromText(text);
  return { length: text.length, vocab, train: splitIds(vocab.encode(text)).train };
}

export async function fetchText(url: URL): Promise<TextData> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status} ${response.statusText}`);
  return encodeText(await response.text());
}
