// journalctl -o export writes a field as text when its value is "printable" UTF-8, else in the
// binary-safe form (systemd's utf8_is_printable_newline(value, len, allow_newline=false)): every
// character a valid, not overlong, non-surrogate, non-"noncharacter" code point (not U+FDD0-FDEF,
// not U+xFFFE/xFFFF), and no control character (C0 but TAB, DEL, C1); no newline. Reproduced so
// the export bytes are journalctl's, byte for byte.

function validChar(c: number): boolean {
  if (c >= 0x110000) return false;
  if ((c & 0xfffff800) === 0xd800) return false;
  if (c >= 0xfdd0 && c <= 0xfdef) return false;
  if ((c & 0xfffe) === 0xfffe) return false;
  return true;
}

function encodedLen(c: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c < 0x10000) return 3;
  if (c < 0x200000) return 4;
  if (c < 0x4000000) return 5;
  return 6;
}

/** Whether journalctl prints b[start, end) as text in the export format. */
export function isPrintable(b: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const c0 = b[p]!;
    if (c0 < 0x80) {
      // ASCII: printable, or TAB.
      if (c0 < 0x20 ? c0 !== 0x09 : c0 === 0x7f) return false;
      p++;
      continue;
    }
    let len: number;
    let c: number;
    if ((c0 & 0xe0) === 0xc0) (len = 2), (c = c0 & 0x1f);
    else if ((c0 & 0xf0) === 0xe0) (len = 3), (c = c0 & 0x0f);
    else if ((c0 & 0xf8) === 0xf0) (len = 4), (c = c0 & 0x07);
    else if ((c0 & 0xfc) === 0xf8) (len = 5), (c = c0 & 0x03);
    else if ((c0 & 0xfe) === 0xfc) (len = 6), (c = c0 & 0x01);
    else return false;
    if (p + len > end) return false;
    for (let i = 1; i < len; i++) {
      const cc = b[p + i]!;
      if ((cc & 0xc0) !== 0x80) return false;
      c = c * 64 + (cc & 0x3f);
    }
    if (encodedLen(c) !== len || !validChar(c)) return false;
    if (c >= 0x7f && c <= 0x9f) return false;
    p += len;
  }
  return true;
}
