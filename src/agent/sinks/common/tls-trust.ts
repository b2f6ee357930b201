// Which certificate authorities a TLS sink trusts. With --ca-file: exactly the certificates in that
// file (as curl --cacert). Otherwise the system's: Node's bundled Mozilla roots, the operating
// system's bundle (where update-ca-certificates puts local CAs) and NODE_EXTRA_CA_CERTS.
import { existsSync, readFileSync } from "node:fs";
import tls from "node:tls";
import { LogharborError } from "../../../core/errors.js";

export const SYSTEM_CA_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A problem with --ca-file (unreadable, no certificate in it), or undefined. */
export function caFileProblem(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return `--ca-file: cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  if (!PEM_CERT.test(text)) return `--ca-file: expected PEM certificates (-----BEGIN CERTIFICATE-----), got none in ${JSON.stringify(file)}`;
  return undefined;
}

function certsIn(file: string): string[] {
  try {
    return readFileSync(file, "utf8").match(PEM_CERT) ?? [];
  } catch {
    return [];
  }
}

/** The trusted CA certificates (PEM). */
export function trustedCertificates(caFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (caFile !== undefined) {
    const certs = certsIn(caFile);
    if (certs.length === 0) throw new LogharborError("LH_ERR_CONFIG", caFileProblem(caFile) ?? `--ca-file: no certificate in ${JSON.stringify(caFile)}`);
    return certs;
  }
  const out = [...tls.rootCertificates];
  const system = SYSTEM_CA_BUNDLES.find((f) => existsSync(f));
  if (system !== undefined) out.push(...certsIn(system));
  const extra = env["NODE_EXTRA_CA_CERTS"];
  if (extra) out.push(...certsIn(extra));
  return out;
}

/** A secure context for client connections that verify the server against the trusted CAs. */
export function clientSecureContext(caFile: string | undefined, env: NodeJS.ProcessEnv = process.env): tls.SecureContext {
  return tls.createSecureContext({ ca: trustedCertificates(caFile, env) });
}
