// Host names as URLs write them and as sockets take them: an IPv6 literal is "[::1]" in a URL's
// hostname, "::1" for net.connect / http.request.
export function unbracketHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, "$1");
}
