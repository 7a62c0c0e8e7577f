/**
 * The keys of a JSON object in the order the text lists them, duplicates included. `JSON.parse`
 * cannot give either: it moves integer-like keys ("0", "10") to the front and keeps only the last
 * of duplicate keys, which the safetensors spec forbids.
 */

/** What {@link scanObject} finds in a JSON object's text. */
export interface ObjectScan {
  /** The top-level keys in order, duplicates included. */
  keys: string[];
  /** How deep objects and arrays nest: 1 for a flat object. */
  depth: number;
}

/**
 * Top-level keys and nesting depth of `text`, which must already have parsed as a JSON object.
 * The scan is iterative, so any depth is measured without exhausting the call stack.
 * @example scanObject('{"b":{"x":1},"10":2,"b":3}') // { keys: ['b', '10', 'b'], depth: 2 }
 */
export function scanObject(text: string): ObjectScan {
  const keys: string[] = [];
  let depth = 0;
  let deepest = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectKey) keys.push(JSON.parse(text.slice(i, end + 1)) as string);
      expectKey = false;
      i = end;
    } else if (c === '{' || c === '[') {
      depth++;
      deepest = Math.max(deepest, depth);
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',') {
      expectKey = depth === 1;
    }
  }
  return { keys, depth: deepest };
}
