// A private certificate authority for TLS tests, made by the real openssl in a directory: the CA, a
// server certificate for 127.0.0.1 / localhost, and a client certificate (mutual TLS) — all signed by
// the CA — plus a second, unrelated CA that must not be trusted.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCa {
  /** The CA certificate (PEM) that signs the others. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed none of these (trusting it alone must fail). */
  otherCa: string;
}

function openssl(args: string[]): void {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.slice(0, 2).join(" ")} failed (${r.status}): ${r.stderr}`);
}

function selfSignedCa(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  return { cert, key };
}

function signed(dir: string, name: string, cn: string, ext: string, ca: { cert: string; key: string }): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", `/CN=${cn}`]);
  openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", extFile]);
  return { cert, key };
}

export function makeTestCa(dir: string): TestCa {
  const ca = selfSignedCa(dir, "test-ca");
  const server = signed(dir, "server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n", ca);
  const client = signed(dir, "client", "logharbor-agent", "extendedKeyUsage=clientAuth\n", ca);
  const other = selfSignedCa(dir, "other-ca");
  return { ca: ca.cert, serverCert: server.cert, serverKey: server.key, clientCert: client.cert, clientKey: client.key, otherCa: other.cert };
}
