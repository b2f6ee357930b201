// The where() expression parser (recursive descent). Precedence, loosest first: OR, AND (written
// or implied by adjacency), NOT. Primaries: keywords, "phrases", /regexes/, comparisons
// `field OP value`, and parenthesised expressions.
import type { CompareExpr, CompareOp, Expr, Scalar } from "./ast.js";
import { CLAUSES } from "./ast.js";
import { LogharborError } from "../../core/errors.js";
import { querySyntaxError, unexpected } from "./errors.js";
import type { Lexer, Token } from "./lexer.js";
import { checkedRegex } from "./regex.js";
import { checkFieldName, isFieldName, toScalar, unbalanced, unbalancedClose } from "./syntax.js";

const SYMBOL_OPS: Readonly<Record<string, CompareOp>> = { "=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const WORD_OPS: Readonly<Record<string, CompareOp>> = { CONTAINS: "contains", "STARTS-WITH": "starts-with" };

function isKeyword(t: Token, kw: string): boolean {
  return t.kind === "word" && t.value.toUpperCase() === kw;
}

/**
 * Parses a where() expression from the lexer's position. In `implicit` mode (a query without
 * where(...)) the expression also ends, outside parentheses, at a clause such as `groupby(`.
 */
export function parseWhereExpr(lx: Lexer, implicit: boolean): Expr {
  return new WhereParser(lx, implicit).parse();
}

/** Parentheses and NOTs nest at most this deep (the parser recurses). */
export const MAX_NESTING = 200;

/**
 * Search terms in one where(): words, phrases, regexes, comparisons. Each becomes a test in one SQL
 * statement, a word or phrase a full-text lookup per chunk of the scan (200 cost about a second
 * over a small store; 1,000, more than the whole budget).
 */
export const MAX_TERMS = 200;

/** Values in all the IN lists of one where() together (each one SQL parameter). */
export const MAX_LIST_VALUES = 1000;

class WhereParser {
  /** Open parentheses. */
  private depth = 0;
  /** Open parentheses and NOTs, for the recursion limit. */
  private nesting = 0;
  /** Terms so far, for MAX_TERMS. */
  private terms = 0;
  /** IN-list values so far, for MAX_LIST_VALUES. */
  private listValues = 0;

  constructor(
    private readonly lx: Lexer,
    private readonly implicit: boolean,
  ) {}

  parse(): Expr {
    return this.parseOr();
  }

  /** `groupby(` and friends (a space before "(" allowed) end an implicit where, outside parentheses. */
  private isClauseStart(t: Token): boolean {
    return (
      this.implicit &&
      this.depth === 0 &&
      t.kind === "word" &&
      (CLAUSES as readonly string[]).includes(t.value.toLowerCase()) &&
      this.lx.nonSpaceAfter(t) === "("
    );
  }

  private canStart(t: Token): boolean {
    if (t.kind === "string" || t.kind === "regex" || t.kind === "lparen") return true;
    return t.kind === "word" && !isKeyword(t, "AND") && !isKeyword(t, "OR") && !this.isClauseStart(t);
  }

  /** The next token must start an operand of `after` (AND, OR, NOT). */
  private requireOperand(after: string): void {
    const t = this.lx.peek("where");
    if (!this.canStart(t)) throw unexpected(t, `a search term after ${after}`);
  }

  private enter(t: Token): void {
    if (++this.nesting > MAX_NESTING) throw querySyntaxError(`nested too deeply at column ${t.pos}, expected at most ${MAX_NESTING} levels of parentheses and NOT`, t.pos);
  }

  private parseOr(): Expr {
    const items = [this.parseAnd()];
    while (isKeyword(this.lx.peek("where"), "OR")) {
      this.lx.next("where");
      this.requireOperand("OR");
      items.push(this.parseAnd());
    }
    return combine("or", items);
  }

  private parseAnd(): Expr {
    const items = [this.parseNot()];
    for (;;) {
      const t = this.lx.peek("where");
      if (isKeyword(t, "AND")) {
        this.lx.next("where");
        this.requireOperand("AND");
      } else if (t.kind === "op") {
        throw unexpected(t, `a search term (a comparison needs a field name on the left of ${t.text})`);
      } else if (!this.canStart(t)) {
        break;
      }
      items.push(this.parseNot());
    }
    return combine("and", items);
  }

  private parseNot(): Expr {
    const t = this.lx.peek("where");
    if (!isKeyword(t, "NOT")) return this.parsePrimary();
    this.lx.next("where");
    this.requireOperand("NOT");
    this.enter(t);
    const item = this.parseNot();
    this.nesting--;
    return { kind: "not", item, pos: t.pos };
  }

  private countTerm(t: Token): void {
    if (++this.terms > MAX_TERMS) {
      throw new LogharborError(
        "LH_ERR_QUERY_TOO_LARGE",
        `query: more than ${MAX_TERMS} search terms in where(), the limit (the one at column ${t.pos} is one too many); for many values of one field use field IN [a, b, ...]`,
        { position: t.pos },
      );
    }
  }

  private parsePrimary(): Expr {
    const t = this.lx.next("where");
    if (t.kind === "string" || t.kind === "regex" || t.kind === "word") this.countTerm(t);
    switch (t.kind) {
      case "lparen": {
        const inside = this.lx.peek("where");
        if (inside.kind === "eof") throw unbalanced(t);
        if (inside.kind === "rparen") throw unexpected(inside, "a search term");
        this.depth++;
        this.enter(t);
        const e = this.parseOr();
        this.nesting--;
        const close = this.lx.next("where");
        if (close.kind === "eof") throw unbalanced(t);
        if (close.kind !== "rparen") throw unexpected(close, '")"');
        this.depth--;
        return e;
      }
      case "string":
        if (t.value === "") throw querySyntaxError(`empty phrase at column ${t.pos}, expected some text between the quotes`, t.pos);
        return { kind: "phrase", value: t.value, pos: t.pos };
      case "regex": {
        const r = checkedRegex(t.value, t.flags ?? "", t.pos);
        return { kind: "regex", source: r.source, flags: t.flags ?? "", groups: r.groups, pos: t.pos };
      }
      case "word":
        if (isKeyword(t, "AND") || isKeyword(t, "OR")) throw unexpected(t, "a search term");
        return this.comparison(t) ?? { kind: "term", value: t.value, pos: t.pos };
      case "rparen":
        if (this.implicit && this.depth === 0) throw unbalancedClose(t);
        throw unexpected(t, "a search term");
      case "op":
        throw unexpected(t, `a search term (a comparison needs a field name on the left of ${t.text})`);
      default:
        throw unexpected(t, "a search term");
    }
  }

  /** `word` followed by an operator is a comparison; undefined when it is a plain keyword. */
  private comparison(field: Token): CompareExpr | undefined {
    const lx = this.lx;
    const next = lx.peek("where");
    if (next.kind === "op") {
      checkFieldName(field);
      lx.next("where");
      const op = SYMBOL_OPS[next.value]!;
      const v = this.value(next, op);
      return { kind: "compare", field: field.value, op, value: v.value, pos: field.pos, valuePos: v.pos };
    }
    if (next.kind !== "word") return undefined;
    const save = lx.offset;
    lx.next("where");
    if (isKeyword(next, "IN") && lx.peekChar() === "[") {
      checkFieldName(field);
      const list = this.list(next);
      return { kind: "compare", field: field.value, op: "in", value: list.values, pos: field.pos, valuePos: list.pos };
    }
    const wordOp = WORD_OPS[next.value.toUpperCase()];
    const after = lx.peek("value");
    if (wordOp !== undefined && isFieldName(field.value) && (after.kind === "word" || after.kind === "string")) {
      const v = this.value(next, wordOp);
      return { kind: "compare", field: field.value, op: wordOp, value: String(v.value), pos: field.pos, valuePos: v.pos };
    }
    lx.offset = save;
    return undefined;
  }

  /** The value after an operator: a word (number or text) or a quoted string. */
  private value(opTok: Token, op: CompareOp): { value: Scalar; pos: number } {
    const t = this.lx.next("value");
    if (t.kind === "string") return { value: t.value, pos: t.pos };
    if (t.kind !== "word") throw unexpected(t, `a value after ${opTok.text}`);
    if ((op === "=" || op === "!=") && /^\/.+\/[imsu]*$/.test(t.value)) {
      throw querySyntaxError(
        `regular expressions on a field are not supported, at column ${t.pos}; match the message with a named group instead, as in /(?<name>...)/ name=..., or quote the value`,
        t.pos,
      );
    }
    return { value: op === "contains" || op === "starts-with" ? t.value : toScalar(t.value), pos: t.pos };
  }

  /** `[a, 2, "c d"]` after IN. */
  private list(inTok: Token): { values: Scalar[]; pos: number } {
    const lx = this.lx;
    const open = lx.next("list");
    const values: Scalar[] = [];
    const unterminated = () => querySyntaxError(`unterminated list: "[" at column ${open.pos} is never closed`, open.pos);
    for (;;) {
      const t = lx.next("list");
      if ((t.kind === "string" || t.kind === "word") && ++this.listValues > MAX_LIST_VALUES) {
        throw new LogharborError(
          "LH_ERR_QUERY_TOO_LARGE",
          `query: more than ${MAX_LIST_VALUES} values in the IN lists of where(), the limit (the one at column ${t.pos} is one too many)`,
          { position: t.pos },
        );
      }
      if (t.kind === "string") values.push(t.value);
      else if (t.kind === "word") values.push(toScalar(t.value));
      else if (t.kind === "eof") throw unterminated();
      else throw unexpected(t, values.length === 0 ? `a value in the list after ${inTok.text}` : "a value after \",\"");
      const sep = lx.next("list");
      if (sep.kind === "rbracket") break;
      if (sep.kind === "eof") throw unterminated();
      if (sep.kind !== "comma") throw unexpected(sep, '"," or "]"');
    }
    return { values, pos: open.pos };
  }
}

/** AND/OR of items, flattening nested ones of the same kind; a single item stands alone. */
function combine(kind: "and" | "or", items: Expr[]): Expr {
  if (items.length === 1) return items[0]!;
  const flat = items.flatMap((e) => (e.kind === kind ? e.items : [e]));
  return { kind, items: flat, pos: flat[0]!.pos };
}
