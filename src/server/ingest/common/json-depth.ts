// How deeply a JSON text nests, found by one pass over it (no recursion): a body nested 100,000
// levels parses (V8's parser does not recurse) but cannot be written back (JSON.stringify
// recurses and runs out of stack), so a webhook refuses it before storing anything.

/** Webhook JSON may nest this deep (objects and arrays). */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of [ and { in `text`, outside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}
