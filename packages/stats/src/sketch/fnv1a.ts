/**
 * 32-bit FNV-1a hash of the UTF-8 encoding of `text`, computed without allocating the bytes.
 * Lone surrogates are encoded as U+FFFD (EF BF BD), as `TextEncoder` does.
 *
 * Rule: `h = 2166136261; for each byte: h = (h XOR byte) · 16777619 mod 2^32`.
 * Reference: http://www.isthe.com/chongo/tech/comp/fnv/index.html (FNV-1a, 32-bit offset basis and prime).
 * Cost: O(length), allocation-free.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const n = text.length;
  for (let k = 0; k < n; k++) {
    let c = text.charCodeAt(k);
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = k + 1 < n ? text.charCodeAt(k + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        k++;
        h = Math.imul(h ^ (0xf0 | (cp >> 18)), 0x01000193);
        h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), 0x01000193);
        h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), 0x01000193);
        h = Math.imul(h ^ (0x80 | (cp & 0x3f)), 0x01000193);
        continue;
      }
      c = 0xfffd; // lone surrogate
    }
    h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), 0x01000193);
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
  }
  return h >>> 0;
}
