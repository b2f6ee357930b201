// The LEQL lexer. It is pulled by the parser one token at a time, in a mode chosen by the parser,
// because the same characters mean different things in different places:
// - "where": search terms. A word runs until whitespace, ( ) ", or a comparison operator, so
//   `nginx.service`, `10:30`, `[ERROR]` and `a,b` are single words. `/` at the start of a token
//   begins a regular expression.
// - "value": the value after a comparison operator; like "where" but `/` starts a plain word
//   (`path = /var/log`).
// - "list": inside IN [ ... ]; words also stop at [ ] and ",".
// - "args": arguments of groupby(), calculate(), ...; words also stop at [ ] , : # and never
//   start a regex.
// Columns are 1-based offsets into the query text (a multi-line query counts as one line).
import { querySyntaxError } from "./errors.js";

export type LexMode = "where" | "value" | "list" | "args";

export type TokenKind =
  | "word"
  | "string"
  | "regex"
  | "op"
  | "lparen"
  | "rparen"
  | "lbracket"
  | "rbracket"
  | "comma"
  | "colon"
  | "hash"
  | "eof";

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for messages). */
  text: string;
  /** Decoded value: a word's text, a string's unescaped content, a regex's source, an operator. */
  value: string;
  /** Regex flags as written (regex tokens only). */
  flags?: string;
  /** 1-based column of the first character. */
  pos: number;
  /** 0-based offset just after the token. */
  end: number;
}

const REGEX_FLAGS = "imsu";
const PUNCT: Readonly<Record<string, TokenKind>> = {
  "(": "lparen",
  ")": "rparen",
  "[": "lbracket",
  "]": "rbracket",
  ",": "comma",
  ":": "colon",
  "#": "hash",
};

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v" || c === "\u00a0";
}

export class Lexer {
  /** 0-based offset of the next character to read. */
  offset = 0;

  constructor(readonly source: string) {}

  /** Skips whitespace and returns the next character without consuming it ("" at the end). */
  peekChar(): string {
    this.skipSpace();
    return this.source[this.offset] ?? "";
  }

  /** The next token, without consuming it. */
  peek(mode: LexMode): Token {
    const save = this.offset;
    const t = this.next(mode);
    this.offset = save;
    return t;
  }

  /** The character right after a token (no whitespace skipped): tells `groupby(` from `groupby (`. */
  charAfter(t: Token): string {
    return this.source[t.end] ?? "";
  }

  /** The first non-space character after a token: tells a clause `groupby (` from a keyword. */
  nonSpaceAfter(t: Token): string {
    let i = t.end;
    while (i < this.source.length && isSpace(this.source[i]!)) i++;
    return this.source[i] ?? "";
  }

  next(mode: LexMode): Token {
    this.skipSpace();
    const s = this.source;
    const start = this.offset;
    if (start >= s.length) return { kind: "eof", text: "", value: "", pos: start + 1, end: start };
    const c = s[start]!;
    if (c === "(" || c === ")") return this.punct(c);
    if ((c === "[" || c === "]" || c === ",") && (mode === "list" || mode === "args")) return this.punct(c);
    if ((c === ":" || c === "#") && mode === "args") return this.punct(c);
    if (c === '"') return this.string();
    if (mode !== "args") {
      const op = this.operator();
      if (op) return op;
      if (c === "/" && mode === "where") return this.regex();
    }
    return this.word(mode);
  }

  private skipSpace(): void {
    while (this.offset < this.source.length && isSpace(this.source[this.offset]!)) this.offset++;
  }

  private punct(c: string): Token {
    const start = this.offset++;
    return { kind: PUNCT[c]!, text: c, value: c, pos: start + 1, end: this.offset };
  }

  private operator(): Token | undefined {
    const s = this.source;
    const start = this.offset;
    const two = s.slice(start, start + 2);
    const op = two === "!=" || two === "<=" || two === ">=" ? two : s[start] === "=" || s[start] === "<" || s[start] === ">" ? s[start]! : undefined;
    if (op === undefined) return undefined;
    this.offset += op.length;
    return { kind: "op", text: op, value: op, pos: start + 1, end: this.offset };
  }

  private isWordEnd(mode: LexMode, i: number, start: number): boolean {
    const s = this.source;
    const c = s[i]!;
    if (isSpace(c) || c === "(" || c === ")" || c === '"') return true;
    if (mode === "list" && (c === "[" || c === "]" || c === ",")) return true;
    if (mode === "args") return c === "[" || c === "]" || c === "," || c === ":" || c === "#";
    if (c === "=" || c === "<" || c === ">") return true;
    if (c === "!" && s[i + 1] === "=") return true;
    // `field in[a, b]`: the IN operator directly followed by its list.
    if (c === "[" && i - start === 2 && s.slice(start, i).toLowerCase() === "in") return true;
    return false;
  }

  private word(mode: LexMode): Token {
    const s = this.source;
    const start = this.offset;
    let i = start;
    while (i < s.length && !this.isWordEnd(mode, i, start)) i++;
    if (i === start) i++; // never return an empty token (cannot happen with the rules above)
    this.offset = i;
    const text = s.slice(start, i);
    return { kind: "word", text, value: text, pos: start + 1, end: i };
  }

  /** "..." with \" and \\ escapes; any other backslash is kept as written. */
  private string(): Token {
    const s = this.source;
    const start = this.offset;
    let value = "";
    let i = start + 1;
    for (;;) {
      if (i >= s.length) throw querySyntaxError(`unterminated string starting at column ${start + 1}, expected a closing '"'`, start + 1);
      const c = s[i]!;
      if (c === '"') break;
      if (c === "\\" && (s[i + 1] === '"' || s[i + 1] === "\\")) {
        value += s[i + 1];
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    this.offset = i + 1;
    return { kind: "string", text: s.slice(start, i + 1), value, pos: start + 1, end: this.offset };
  }

  /** /source/flags; a "/" inside [...] or after a backslash does not end it. */
  private regex(): Token {
    const s = this.source;
    const start = this.offset;
    let i = start + 1;
    let inClass = false;
    for (;;) {
      if (i >= s.length) throw querySyntaxError(`unterminated regular expression starting at column ${start + 1}, expected a closing "/"`, start + 1);
      const c = s[i]!;
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
      i++;
    }
    const source = s.slice(start + 1, i);
    i++;
    let flags = "";
    while (i < s.length && /[A-Za-z0-9_]/.test(s[i]!)) {
      const f = s[i]!;
      if (!REGEX_FLAGS.includes(f)) throw querySyntaxError(
          `unknown regular expression flag "${f}" at column ${i + 1}, expected i, m, s or u (to search for text with "/" in it, put it in quotes)`,
          i + 1,
        );
      if (flags.includes(f)) throw querySyntaxError(`repeated regular expression flag "${f}" at column ${i + 1}`, i + 1);
      flags += f;
      i++;
    }
    this.offset = i;
    return { kind: "regex", text: s.slice(start, i), value: source, flags, pos: start + 1, end: i };
  }
}
