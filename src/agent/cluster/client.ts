// The etcd v3 client (the `etcd3` package) from --etcd URLs: TLS (https:// endpoints, a CA file, a
// client certificate) and user/password auth. Calls have a deadline so an unreachable etcd is an
// error after a few seconds, not a hang.
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Etcd3, type IOptions } from "etcd3";

export { DEFAULT_CALL_TIMEOUT_MS, parseEtcdHosts, type EtcdConnection } from "./connection.js";
import { DEFAULT_CALL_TIMEOUT_MS, type EtcdConnection } from "./connection.js";

export function createEtcdClient(c: EtcdConnection): Etcd3 {
  const timeout = c.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const options: IOptions = {
    hosts: c.hosts,
    dialTimeout: timeout,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
  };
  const tls = c.hosts.some((h) => h.startsWith("https:")) || c.caFile !== undefined || c.certFile !== undefined;
  if (tls) {
    options.credentials = {
      rootCertificate: c.caFile !== undefined ? readFileSync(c.caFile) : Buffer.from(rootCertificates.join("\n")),
      ...(c.certFile !== undefined ? { certChain: readFileSync(c.certFile) } : {}),
      ...(c.keyFile !== undefined ? { privateKey: readFileSync(c.keyFile) } : {}),
    };
  }
  if (c.username !== undefined) options.auth = { username: c.username, password: c.password ?? "" };
  return new Etcd3(options);
}
