/** Limits on the shape of a JSON text, checked before parsing it. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most objects and arrays in all. */
  maxContainers: number;
}

/**
 * Why `text` exceeds `limits`, or null. A linear scan that skips strings:
 * JSON.parse itself would build every value first, and 30 MB of `[]` is
 * hundreds of MB of arrays; code walking the result may recurse.
 */
export function jsonShapeProblem(text: string, limits: JsonLimits): string | null {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.maxDepth) return `it nests more than ${limits.maxDepth} levels deep`;
      if (++containers > limits.maxContainers) return `it holds more than ${limits.maxContainers.toLocaleString('en-US')} objects and arrays`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}
