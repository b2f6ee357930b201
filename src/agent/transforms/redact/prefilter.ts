// One pass over a field's raw bytes that rules out every enabled built-in pattern at once, without
// decoding the value: most messages hold nothing secret-looking, and for them redact costs this
// loop alone (no string, no regular expression). The test is a necessary condition only: when it
// says a pattern may be present, redact runs the patterns' triggers and expressions as before, so
// the results are exactly those of the full path (redact-prefilter.test.ts compares both on
// generated messages). Per pattern, what must be present for it to replace anything:
//   credit_card   13 digits each separated from the next by at most one space or dash (its trigger);
//   aws_key       "A" followed by K, S, G, I, R, N or 3 (the key-id prefixes), or "secret" in any
//                 case (the secret-key assignments; the trigger asks for less case-mixing than this);
//   bearer_token  "bearer" in any case (its trigger);
//   url_password  "://" with an "@" somewhere after it (the expression needs both);
//   email         "@".
// Built-in patterns are ASCII and matched on the Latin-1 reading, so bytes and characters agree.
import type { BuiltinPatternName } from "./patterns.js";

const OTHER = 0;
const DIGIT = 1;
const SEP = 2; // space or dash: may sit between a card number's digits
const UPPER_A = 3;
const LETTER_S = 4;
const LETTER_B = 5;
const COLON = 6;
const AT = 7;

const CLASS = new Uint8Array(256);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
CLASS[32] = SEP;
CLASS[45] = SEP;
CLASS[65] = UPPER_A;
CLASS[83] = LETTER_S;
CLASS[115] = LETTER_S;
CLASS[66] = LETTER_B;
CLASS[98] = LETTER_B;
CLASS[58] = COLON;
CLASS[64] = AT;

/** The bytes after "A" that may start an AWS key id (AKIA, ASIA, AGPA, AIDA, AROA, AIPA, ANPA, ANVA, A3T). */
const AWS_SECOND = new Uint8Array(256);
for (const c of "KSGIRN3") AWS_SECOND[c.charCodeAt(0)] = 1;

/** Whether the bytes at `i` spell the ASCII lower-case word `w` in any case. */
function wordAt(raw: Uint8Array, i: number, end: number, w: string): boolean {
  if (end - i < w.length) return false;
  for (let j = 0; j < w.length; j++) if ((raw[i + j]! | 0x20) !== w.charCodeAt(j)) return false;
  return true;
}

export class RedactPrefilter {
  private readonly card: boolean;
  private readonly aws: boolean;
  private readonly bearer: boolean;
  private readonly url: boolean;
  private readonly email: boolean;

  constructor(patterns: readonly BuiltinPatternName[]) {
    this.card = patterns.includes("credit_card");
    this.aws = patterns.includes("aws_key");
    this.bearer = patterns.includes("bearer_token");
    this.url = patterns.includes("url_password");
    this.email = patterns.includes("email");
  }

  /** Whether raw[start, end) may hold something one of the patterns replaces (false: it surely holds nothing). */
  mayMatch(raw: Uint8Array, start: number, end: number): boolean {
    const card = this.card;
    let run = 0; // digits in the current chain (card numbers)
    let prevDigit = false;
    let scheme = false; // "://" seen
    for (let i = start; i < end; i++) {
      const c = CLASS[raw[i]!]!;
      if (c === OTHER) {
        run = 0;
        prevDigit = false;
        continue;
      }
      if (c === DIGIT) {
        if (++run >= 13 && card) return true;
        prevDigit = true;
        continue;
      }
      if (c === SEP) {
        if (!prevDigit) run = 0;
        prevDigit = false;
        continue;
      }
      run = 0;
      prevDigit = false;
      switch (c) {
        case UPPER_A:
          if (this.aws && i + 1 < end && AWS_SECOND[raw[i + 1]!] === 1) return true;
          break;
        case LETTER_S:
          if (this.aws && wordAt(raw, i, end, "secret")) return true;
          break;
        case LETTER_B:
          if (this.bearer && wordAt(raw, i, end, "bearer")) return true;
          break;
        case COLON:
          if (i + 2 < end && raw[i + 1] === 47 && raw[i + 2] === 47) scheme = true;
          break;
        case AT:
          if (this.email || (this.url && scheme)) return true;
          break;
      }
    }
    return false;
  }
}
