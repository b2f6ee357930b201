// The forward protocol's shared-key handshake (serve --forward-auth), where the shared key is the
// ingest token of the log the client writes to:
//   server → HELO  ["HELO", {nonce: 16 random bytes, auth: "", keepalive: true}]
//   client → PING  ["PING", client_hostname, salt, sha512_hex(salt + client_hostname + nonce + shared_key), user, pass]
//   server → PONG  ["PONG", true, "", server_hostname, sha512_hex(salt + server_hostname + nonce + shared_key)]
//          or      ["PONG", false, reason, "", ""] and the connection is closed.
// The token is never sent: the server finds it by computing the client's digest for each token it
// accepts now (the list is re-read at most once a second, and at once after a rotation or
// revocation), so a handshake costs one SHA-512 per log.
import { encode } from "@msgpack/msgpack";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Store } from "../../storage/store.js";

const REFRESH_MS = 1000;

export function heloMessage(nonce: Buffer): Uint8Array {
  return encode(["HELO", { nonce, auth: "", keepalive: true }]);
}

export function newNonce(): Buffer {
  return randomBytes(16);
}

function digest(salt: Uint8Array, hostname: string, nonce: Uint8Array, key: string): string {
  return createHash("sha512").update(salt).update(hostname).update(nonce).update(key).digest("hex");
}

export function pongMessage(ok: true, salt: Uint8Array, serverHostname: string, nonce: Uint8Array, key: string): Uint8Array;
export function pongMessage(ok: false, reason: string): Uint8Array;
export function pongMessage(ok: boolean, a: Uint8Array | string, serverHostname?: string, nonce?: Uint8Array, key?: string): Uint8Array {
  if (!ok) return encode(["PONG", false, a as string, "", ""]);
  return encode(["PONG", true, "", serverHostname!, digest(a as Uint8Array, serverHostname!, nonce!, key!)]);
}

/** The tokens a shared-key digest is checked against, cached. */
export class SharedKeys {
  private tokens: string[] = [];
  private readAt = -Infinity;
  private generation = -1;

  constructor(private readonly store: Pick<Store, "acceptedTokens" | "tokenGeneration">) {}

  /** The token whose digest the client sent, or undefined. */
  find(salt: Uint8Array, hostname: string, nonce: Uint8Array, clientDigest: string): string | undefined {
    const g = this.store.tokenGeneration();
    const now = Date.now();
    if (g !== this.generation || now - this.readAt > REFRESH_MS) {
      this.tokens = this.store.acceptedTokens();
      this.generation = g;
      this.readAt = now;
    }
    const want = Buffer.from(clientDigest.toLowerCase(), "utf8");
    if (want.length !== 128) return undefined;
    for (const t of this.tokens) {
      const got = Buffer.from(digest(salt, hostname, nonce, t), "utf8");
      if (timingSafeEqual(got, want)) return t;
    }
    return undefined;
  }
}
