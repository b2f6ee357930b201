// The etcd v3 keys logharbor reads and writes, under a prefix (default /logharbor):
//   <prefix>/config                   the cluster's ship configuration (YAML or JSON)
//   <prefix>/hosts/<hostname>/config  one host's override (same form)
//   <prefix>/agents/<hostname>        an agent's report (JSON), bound to a lease: gone when it stops
//   <prefix>/agents-seen/<hostname>   the same report without a lease: an agent that died stays listed
//                                     (as silent) until `logharbor cluster forget HOST`
//   /logentries.com/token             journal-2-logentries' token key (drop-in)

export const DEFAULT_ETCD_PREFIX = "/logharbor";
export const LOGENTRIES_TOKEN_KEY = "/logentries.com/token";

/** "/logharbor", "logharbor/", "/a//b/" → "/logharbor", "/a/b"; "/" or "" → "" (keys at the root). */
export function normalizePrefix(prefix: string): string {
  const parts = prefix.split("/").filter((p) => p !== "");
  return parts.length === 0 ? "" : "/" + parts.join("/");
}

export interface ClusterKeys {
  config: string;
  hostConfig: string;
  token: string;
  agents: string;
  agent: string;
  seen: string;
  agentSeen: string;
}

export function clusterKeys(prefix: string, hostname: string): ClusterKeys {
  const p = normalizePrefix(prefix);
  return {
    config: `${p}/config`,
    hostConfig: `${p}/hosts/${hostname}/config`,
    token: LOGENTRIES_TOKEN_KEY,
    agents: `${p}/agents/`,
    agent: `${p}/agents/${hostname}`,
    seen: `${p}/agents-seen/`,
    agentSeen: `${p}/agents-seen/${hostname}`,
  };
}

/** A hostname usable as one key segment: no "/", not empty, printable. */
export function hostnameProblem(hostname: string): string | undefined {
  if (hostname === "" || hostname.includes("/") || !/^[\x21-\x7e]+$/.test(hostname)) {
    return `--hostname: expected a host name without "/" or spaces, got ${JSON.stringify(hostname)}`;
  }
  return undefined;
}
