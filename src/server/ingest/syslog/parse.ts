// Syslog messages: RFC 5424 ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG") and RFC 3164
// ("<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG"). Returns undefined for what is neither.

export interface SdElement {
  id: string;
  params: Array<[string, string]>;
}

export interface SyslogMessage {
  format: "rfc5424" | "rfc3164";
  facility: number;
  severity: number;
  timestamp: string | undefined;
  hostname: string | undefined;
  appName: string | undefined;
  procId: string | undefined;
  msgId: string | undefined;
  sd: SdElement[];
  msg: string;
}

const PRI_RE = /^<(\d{1,3})>/;

export function parseSyslog(text: string): SyslogMessage | undefined {
  const m = PRI_RE.exec(text);
  if (!m) return undefined;
  const pri = Number(m[1]);
  if (pri > 191) return undefined;
  const rest = text.slice(m[0].length);
  const base = { facility: pri >> 3, severity: pri & 7 };
  if (rest.startsWith("1 ")) return parse5424(rest.slice(2), base);
  return parse3164(rest, base);
}

const nil = (s: string | undefined) => (s === undefined || s === "-" ? undefined : s);

function parse5424(s: string, base: { facility: number; severity: number }): SyslogMessage | undefined {
  const parts: string[] = [];
  let i = 0;
  for (let k = 0; k < 5; k++) {
    const sp = s.indexOf(" ", i);
    if (sp < 0) return undefined;
    parts.push(s.slice(i, sp));
    i = sp + 1;
  }
  const sd: SdElement[] = [];
  if (s[i] === "-") {
    i++;
  } else if (s[i] === "[") {
    const end = parseSd(s, i, sd);
    if (end < 0) return undefined;
    i = end;
  } else {
    return undefined;
  }
  let msg = s[i] === " " ? s.slice(i + 1) : s.slice(i);
  if (msg.startsWith("\uFEFF")) msg = msg.slice(1);
  return {
    format: "rfc5424", ...base,
    timestamp: nil(parts[0]), hostname: nil(parts[1]), appName: nil(parts[2]), procId: nil(parts[3]), msgId: nil(parts[4]),
    sd, msg,
  };
}

const NAME_RE = /^[^\s=\]"]{1,32}/;

/** Parses SD-ELEMENTs from s[i] = "["; returns the index after them, or -1 when malformed. */
function parseSd(s: string, i: number, out: SdElement[]): number {
  while (s[i] === "[") {
    i++;
    const id = NAME_RE.exec(s.slice(i, i + 33))?.[0];
    if (!id) return -1;
    i += id.length;
    const el: SdElement = { id, params: [] };
    while (s[i] === " ") {
      i++;
      const name = NAME_RE.exec(s.slice(i, i + 33))?.[0];
      if (!name || s[i + name.length] !== "=" || s[i + name.length + 1] !== '"') return -1;
      i += name.length + 2;
      let value = "";
      for (;;) {
        const c = s[i];
        if (c === undefined) return -1;
        if (c === "\\" && (s[i + 1] === '"' || s[i + 1] === "\\" || s[i + 1] === "]")) {
          value += s[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      el.params.push([name, value]);
    }
    if (s[i] !== "]") return -1;
    i++;
    out.push(el);
  }
  return i;
}

const TS3164 = /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) /;
const TAG = /^([^\s:[\]]{1,48})(?:\[([^\]\s]{1,32})\])?: ?/;

function parse3164(s: string, base: { facility: number; severity: number }): SyslogMessage {
  let timestamp: string | undefined;
  let hostname: string | undefined;
  let rest = s;
  const t = TS3164.exec(rest);
  if (t) {
    timestamp = t[1];
    rest = rest.slice(t[0].length);
    // HOSTNAME then TAG: a first word followed by a tag-like word.
    const sp = rest.indexOf(" ");
    if (sp > 0 && !rest.slice(0, sp).endsWith(":") && TAG.test(rest.slice(sp + 1))) {
      hostname = rest.slice(0, sp);
      rest = rest.slice(sp + 1);
    }
  }
  let appName: string | undefined;
  let procId: string | undefined;
  const tag = TAG.exec(rest);
  if (tag && rest.slice(0, tag[0].length).includes(":")) {
    appName = tag[1];
    procId = tag[2];
    rest = rest.slice(tag[0].length);
  }
  return { format: "rfc3164", ...base, timestamp, hostname, appName, procId, msgId: undefined, sd: [], msg: rest };
}
