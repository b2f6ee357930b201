// Lists the programs the code starts, read from the TypeScript sources with the compiler's own parser:
//   - the first argument of spawn/spawnSync/execFile/execFileSync/exec/execSync/fork imported from
//     node:child_process, when it is a string literal, or a name whose value (a constant, a parameter's
//     default, either side of `??` / `||` / `? :`, an imported constant) is one;
//   - `executablePath:` given to a browser launcher (Chromium through playwright-core);
//   - every constant that names an absolute program path (`const GATEWAYD = "/lib/systemd/..."`), as the
//     harness keeps its programs.
// Anything else (process.execPath, a command built at run time) is not a Debian package and is not listed.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export interface SpawnedProgram {
  /** As written: a command name ("etcdctl") or an absolute path ("/usr/bin/chromium"). */
  program: string;
  /** Where: "test/harness/etcd.ts:94". */
  at: string;
}

const SPAWNERS = new Set(["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync", "fork"]);
const PROGRAM_PATH = /^\/(?:usr\/)?(?:s?bin|lib\/systemd)\/[\w.+-]+$/;

interface FileInfo {
  sf: ts.SourceFile;
  /** Names bound to values in this file (constants, parameters with a default): their initializers. */
  values: Map<string, ts.Expression[]>;
  /** Imported names: the local name -> [resolved file, exported name]. */
  imports: Map<string, [string, string]>;
  /** Local names of the child_process spawners, and namespace imports of child_process. */
  spawners: Set<string>;
  namespaces: Set<string>;
}

export function tsFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== "node_modules") walk(p);
      } else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
    }
  };
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d));
  return out.sort();
}

/** The programs started by the given files (paths relative to root in `at`). */
export function spawnedPrograms(root: string, files: string[]): SpawnedProgram[] {
  const infos = new Map<string, FileInfo>();
  const info = (file: string): FileInfo | undefined => {
    if (infos.has(file)) return infos.get(file);
    if (!existsSync(file)) return undefined;
    const fi = analyse(file);
    infos.set(file, fi);
    return fi;
  };
  const found: SpawnedProgram[] = [];
  for (const file of files) {
    const fi = info(file)!;
    const at = (n: ts.Node): string => `${relative(root, file)}:${fi.sf.getLineAndCharacterOfPosition(n.getStart(fi.sf)).line + 1}`;
    const literals = (e: ts.Expression, from: FileInfo, depth = 0): string[] => {
      if (depth > 8) return [];
      if (ts.isStringLiteralLike(e)) return [e.text];
      if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) return literals(e.expression, from, depth + 1);
      if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind))
        return [...literals(e.left, from, depth + 1), ...literals(e.right, from, depth + 1)];
      if (ts.isConditionalExpression(e)) return [...literals(e.whenTrue, from, depth + 1), ...literals(e.whenFalse, from, depth + 1)];
      if (ts.isIdentifier(e)) {
        const own = from.values.get(e.text);
        if (own) return own.flatMap((x) => literals(x, from, depth + 1));
        const imp = from.imports.get(e.text);
        const other = imp ? info(imp[0]) : undefined;
        if (imp && other) return (other.values.get(imp[1]) ?? []).flatMap((x) => literals(x, other, depth + 1));
      }
      return [];
    };
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && n.arguments.length > 0 && isSpawner(n.expression, fi)) {
        for (const program of literals(n.arguments[0]!, fi)) found.push({ program, at: at(n) });
      } else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === "executablePath") {
        for (const program of literals(n.initializer, fi)) found.push({ program, at: at(n) });
      } else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && /^[A-Z][A-Z0-9_]*$/.test(n.name.text) && n.initializer) {
        for (const program of literals(n.initializer, fi)) if (PROGRAM_PATH.test(program)) found.push({ program, at: at(n) });
      }
      ts.forEachChild(n, visit);
    };
    visit(fi.sf);
  }
  return found;
}

function isSpawner(callee: ts.Expression, fi: FileInfo): boolean {
  if (ts.isIdentifier(callee)) return fi.spawners.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && fi.namespaces.has(callee.expression.text) && SPAWNERS.has(callee.name.text);
}

function analyse(file: string): FileInfo {
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const fi: FileInfo = { sf, values: new Map(), imports: new Map(), spawners: new Set(), namespaces: new Set() };
  const bind = (name: string, e: ts.Expression): void => {
    fi.values.set(name, [...(fi.values.get(name) ?? []), e]);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.importClause) {
      const spec = n.moduleSpecifier.text;
      const bindings = n.importClause.namedBindings;
      if (spec === "node:child_process" || spec === "child_process") {
        if (bindings && ts.isNamespaceImport(bindings)) fi.namespaces.add(bindings.name.text);
        if (bindings && ts.isNamedImports(bindings))
          for (const el of bindings.elements) if (SPAWNERS.has((el.propertyName ?? el.name).text)) fi.spawners.add(el.name.text);
      } else if (spec.startsWith(".") && bindings && ts.isNamedImports(bindings)) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
        for (const el of bindings.elements) fi.imports.set(el.name.text, [target, (el.propertyName ?? el.name).text]);
      }
    } else if ((ts.isVariableDeclaration(n) || ts.isParameter(n)) && ts.isIdentifier(n.name) && n.initializer) {
      bind(n.name.text, n.initializer);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return fi;
}

/** What `need <path-or-command> <package>` lines of scripts/bootstrap.sh provide: program -> package. */
export function bootstrapNeeds(script: string): Map<string, string> {
  const needs = new Map<string, string>();
  for (const m of script.matchAll(/^\s*need\s+(\S+)\s+(\S+)/gm)) {
    if (m[1] === "<path-or-command>") continue;
    needs.set(m[1]!, m[2]!);
  }
  return needs;
}

/** Whether a spawned program is one of the needs: the same path, or the same command name. */
export function provided(program: string, needs: Map<string, string>): boolean {
  const base = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
  for (const have of needs.keys()) if (have === program || base(have) === base(program)) return true;
  return false;
}
