// On first start (no API keys yet) a read-write admin key is made and written to
// DATA_DIR/admin-api-key, readable by the owner only. Only the file's path is logged.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Store } from "./storage/store.js";

export const ADMIN_KEY_FILE = "admin-api-key";

/** Returns the file written, or undefined when keys existed already. */
export function ensureAdminKey(store: Store, dataDir: string, logger: Logger): string | undefined {
  if (store.countApiKeys() > 0) return undefined;
  const { secret, key } = store.createApiKey({ readOnly: false, admin: true, name: "admin" });
  const path = join(dataDir, ADMIN_KEY_FILE);
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  logger.info({ path, keyId: key.id }, "created the admin API key and wrote it to this file");
  return path;
}
