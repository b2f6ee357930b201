// A Loki stream's labels in the protobuf push body: the text of a Prometheus label set,
// `{job="web", host="node-1", msg="say \"hi\""}` (values with \\, \" and \n escapes).
import { LogharborError } from "../../../core/errors.js";

const NAME = /[A-Za-z_][A-Za-z0-9_.]*/y;

function bad(text: string, at: number, expected: string): LogharborError {
  const shown = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return new LogharborError("LH_ERR_BATCH", `loki: stream labels ${JSON.stringify(shown)}: expected ${expected} at character ${at + 1}; labels look like {name="value", ...}; nothing was stored`);
}

export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  const space = () => {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
  };
  space();
  if (text[i] !== "{") throw bad(text, i, '"{"');
  i++;
  space();
  if (text[i] === "}") return out;
  for (;;) {
    space();
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) throw bad(text, i, "a label name");
    const name = m[0];
    i += name.length;
    space();
    if (text[i] !== "=") throw bad(text, i, '"="');
    i++;
    space();
    if (text[i] !== '"') throw bad(text, i, "a quoted value");
    i++;
    let value = "";
    let start = i;
    for (;;) {
      if (i >= n) throw bad(text, i, 'a closing "');
      const c = text[i]!;
      if (c === '"') break;
      if (c === "\\") {
        value += text.slice(start, i);
        const e = text[i + 1];
        value += e === "n" ? "\n" : e === "t" ? "\t" : (e ?? "");
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
    value += text.slice(start, i);
    i++;
    if (name !== "__proto__") out[name] = value;
    space();
    if (text[i] === ",") {
      i++;
      space();
      if (text[i] === "}") break;
      continue;
    }
    if (text[i] === "}") break;
    throw bad(text, i, '"," or "}"');
  }
  return out;
}
