// Shell-style globs for unit and container names: `*` any run, `?` one character, `[abc]` a class.
// A pattern without a dot also matches the name with a `.service` suffix, as `journalctl -u nginx` does.

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        re += `[${body.startsWith("!") ? "^" + body.slice(1) : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  const unitSuffix = glob.includes(".") ? "" : "(?:\\.service)?";
  return new RegExp(`^${re}${unitSuffix}$`);
}

/** A matcher over many globs, remembering the answer for each name seen (names are few). */
export class GlobSet {
  private readonly res: RegExp[];
  private readonly memo = new Map<string, boolean>();

  constructor(globs: readonly string[]) {
    this.res = globs.map(globToRegExp);
  }

  get size(): number {
    return this.res.length;
  }

  matches(name: string): boolean {
    let m = this.memo.get(name);
    if (m === undefined) {
      m = this.res.some((r) => r.test(name));
      if (this.memo.size < 10_000) this.memo.set(name, m);
    }
    return m;
  }
}
