const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON `text` nests arrays and objects more than `limit` deep, found in one pass over
 * its characters without parsing it: a body of 8 MB of `[[[[…` costs JSON.parse seconds and
 * hundreds of MB, this a few milliseconds. Brackets inside strings do not count (a backslash
 * escapes the character after it, so `"\""` stays one string). For valid JSON the depth seen is
 * exact; text that is not JSON may come out wrong, but JSON.parse stops at its first error, and
 * everything before that is valid, so what the parser would build is never deeper than the
 * depth found here.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && depth > 0) depth--;
  }
  return false;
}
