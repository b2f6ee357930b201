// The module a worker thread runs, beside the module that starts it. Compiled, that is the .js file.
// Run from sources under tsx (tests), a worker does not inherit tsx's loader, so a small module
// registers it first and then loads the .ts.
export function workerUrl(besideUrl: string, name: string): URL {
  if (!besideUrl.endsWith(".ts")) return new URL(`./${name}.js`, besideUrl);
  const target = new URL(`./${name}.ts`, besideUrl).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(target)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
