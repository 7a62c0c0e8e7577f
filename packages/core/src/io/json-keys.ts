/**
 * The keys of a JSON object in the order the text lists them, duplicates included. `JSON.parse`
 * cannot give either: it moves integer-like keys ("0", "10") to the front and keeps only the last
 * of duplicate keys, which the safetensors spec forbids.
 */

/**
 * Top-level keys of `text`, which must already have parsed as a JSON object.
 * @example topLevelKeys('{"b":{"x":1},"10":2,"b":3}') // ['b', '10', 'b']
 */
export function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
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
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',') {
      expectKey = depth === 1;
    }
  }
  return keys;
}
