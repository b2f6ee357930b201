// Real headless Chromium (Debian's `chromium` package) driven by playwright-core, with a fresh
// profile each time and nothing that reaches the network on its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env["LOGHARBOR_CHROMIUM"] ?? "/usr/bin/chromium";

export interface Chromium {
  context: BrowserContext;
  page: Page;
  /** Everything the page logged as an error, and requests to other origins (there should be none). */
  problems: string[];
  close(): Promise<void>;
}

export async function launchChromium(opts: { colorScheme?: "light" | "dark"; width?: number; height?: number } = {}): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "lh-chromium-"));
  // The fresh profile is the --user-data-dir (playwright passes it for a persistent context).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.colorScheme ?? "light",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol !== "data:" && u.hostname !== "127.0.0.1" && u.hostname !== "localhost") problems.push(`external request: ${r.url()}`);
  });
  return {
    context, page, problems,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
