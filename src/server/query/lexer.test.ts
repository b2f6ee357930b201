import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import { Lexer } from "./lexer.js";
import type { LexMode } from "./lexer.js";

/** All tokens of `text` in one mode, as "kind:value@column". */
function lex(text: string, mode: LexMode): string[] {
  const lx = new Lexer(text);
  const out: string[] = [];
  for (;;) {
    const t = lx.next(mode);
    if (t.kind === "eof") return out;
    out.push(`${t.kind}:${t.value}${t.flags ? `/${t.flags}` : ""}@${t.pos}`);
  }
}

test("splits search text into words, strings, regexes, operators and parentheses", () => {
  const table: Array<[string, LexMode, string[]]> = [
    ["", "where", []],
    ["  \t\n", "where", []],
    ["error", "where", ["word:error@1"]],
    ["a  b", "where", ["word:a@1", "word:b@4"]],
    ["nginx.service", "where", ["word:nginx.service@1"]],
    ["10:30:15", "where", ["word:10:30:15@1"]],
    ["[ERROR] a,b #1", "where", ["word:[ERROR]@1", "word:a,b@9", "word:#1@13"]],
    ["a(b)", "where", ["word:a@1", "lparen:(@2", "word:b@3", "rparen:)@4"]],
    ["x=1", "where", ["word:x@1", "op:=@2", "word:1@3"]],
    ["x!=1", "where", ["word:x@1", "op:!=@2", "word:1@4"]],
    ["x<=1 y>=2 z<3 w>4", "where", ["word:x@1", "op:<=@2", "word:1@4", "word:y@6", "op:>=@7", "word:2@9", "word:z@11", "op:<@12", "word:3@13", "word:w@15", "op:>@16", "word:4@17"]],
    ["!x", "where", ["word:!x@1"]],
    ["x! y", "where", ["word:x!@1", "word:y@4"]],
    ["x IN [a]", "where", ["word:x@1", "word:IN@3", "word:[a]@6"]],
    ["x in[a]", "where", ["word:x@1", "word:in@3", "word:[a]@5"]],
    ["bin[a]", "where", ["word:bin[a]@1"]],
    ['"a b"', "where", ["string:a b@1"]],
    ['"a \\"b\\" \\\\ \\n"', "where", ['string:a "b" \\ \\n@1']],
    ['ab"cd"ef', "where", ["word:ab@1", "string:cd@3", "word:ef@7"]],
    ['""', "where", ["string:@1"]],
    ["/a+/", "where", ["regex:a+@1"]],
    ["/a+/ims x", "where", ["regex:a+/ims@1", "word:x@9"]],
    ["/a\\/b/", "where", ["regex:a\\/b@1"]],
    ["/[/]/", "where", ["regex:[/]@1"]],
    ["/[\\]/]/", "where", ["regex:[\\]/]@1"]],
    ["/a/)", "where", ["regex:a@1", "rparen:)@4"]],
    ["a/b", "where", ["word:a/b@1"]],
    ["x = /var/log", "value", ["word:x@1", "op:=@3", "word:/var/log@5"]],
    ["[a, \"b c\",3]", "list", ["lbracket:[@1", "word:a@2", "comma:,@3", "string:b c@5", "comma:,@10", "word:3@11", "rbracket:]@12"]],
    ["[/a]", "list", ["lbracket:[@1", "word:/a@2", "rbracket:]@4"]],
    ["sum:bytes", "args", ["word:sum@1", "colon::@4", "word:bytes@5"]],
    ["percentile(95):x", "args", ["word:percentile@1", "lparen:(@11", "word:95@12", "rparen:)@14", "colon::@15", "word:x@16"]],
    ["asc#key", "args", ["word:asc@1", "hash:#@4", "word:key@5"]],
    ["host, unit", "args", ["word:host@1", "comma:,@5", "word:unit@7"]],
    ["a=b /x", "args", ["word:a=b@1", "word:/x@5"]],
  ];
  for (const [text, mode, want] of table) assert.deepEqual(lex(text, mode), want, `${mode}: ${text}`);
});

test("peeks without consuming and reports what follows a token", () => {
  const lx = new Lexer("groupby (host)");
  const t = lx.peek("args");
  assert.equal(t.value, "groupby");
  assert.equal(lx.offset, 0);
  assert.equal(lx.charAfter(t), " ");
  assert.equal(lx.nonSpaceAfter(t), "(");
  lx.next("args");
  assert.equal(lx.peekChar(), "(");
});

test("rejects unterminated strings and regexes and unknown regex flags at their column", () => {
  const table: Array<[string, number, string]> = [
    ['"abc', 1, "unterminated string starting at column 1"],
    ['x "a\\"', 3, "unterminated string starting at column 3"],
    ["/abc", 1, "unterminated regular expression starting at column 1"],
    ["x /a[/]", 3, "unterminated regular expression starting at column 3"],
    ["/a/g", 4, 'unknown regular expression flag "g"'],
    ["/a/iz", 5, 'unknown regular expression flag "z"'],
    ["/a/mm", 5, 'repeated regular expression flag "m"'],
  ];
  for (const [text, column, fragment] of table) {
    assert.throws(
      () => lex(text, "where"),
      (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_SYNTAX" && e.position === column && e.message.includes(fragment),
      text,
    );
  }
});
