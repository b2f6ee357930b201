// groupby(field[, field ...]): statistics per distinct value (tuple) of the fields.
import type { FieldRef, GroupBy } from "../ast.js";
import { querySyntaxError, unexpected } from "../errors.js";
import type { Lexer, Token } from "../lexer.js";
import { checkFieldName, openClause, unbalanced } from "../syntax.js";

export const MAX_GROUPBY_FIELDS = 5;

export function parseGroupBy(lx: Lexer, name: Token): GroupBy {
  const open = openClause(lx, "groupby");
  const fields: FieldRef[] = [];
  for (;;) {
    const t = lx.next("args");
    if (t.kind === "eof") throw unbalanced(open);
    const field = checkFieldName(t);
    if (fields.some((f) => f.name === field)) throw querySyntaxError(`field "${field}" appears twice in groupby(), at column ${t.pos}`, t.pos);
    if (fields.length === MAX_GROUPBY_FIELDS) throw querySyntaxError(`groupby() takes at most ${MAX_GROUPBY_FIELDS} fields, got more at column ${t.pos}`, t.pos);
    fields.push({ name: field, pos: t.pos });
    const sep = lx.next("args");
    if (sep.kind === "rparen") break;
    if (sep.kind === "eof") throw unbalanced(open);
    if (sep.kind !== "comma") throw unexpected(sep, '"," or ")"');
  }
  return { kind: "groupby", fields, pos: name.pos };
}

export function formatGroupBy(g: GroupBy): string {
  return `groupby(${g.fields.map((f) => f.name).join(", ")})`;
}
