#!/bin/sh
# Installs what logharbor needs on a fresh Debian 12 machine, then builds it.
#   sh scripts/bootstrap.sh          what `logharbor up` needs (npm packages, systemd-journal-remote)
#   sh scripts/bootstrap.sh --test   plus what the test suite needs
#   sh scripts/bootstrap.sh --bench  plus what the benchmarks need
# Every program the code, the tests or the benchmarks start has a `need` line here
# (test/deploy/bootstrap.test.ts fails naming any that has none).
# Each step is skipped when its result is already there, so running it again is cheap.
set -eu
cd "$(dirname "$0")/.."

want_test=0
want_bench=0
[ "${1:-}" = "--test" ] && want_test=1
[ "${1:-}" = "--bench" ] && want_bench=1

# Debian packages: command to look for -> package that provides it.
missing=""
need() { # need <path-or-command> <package>
  if [ ! -e "$1" ] && ! command -v "$1" >/dev/null 2>&1; then missing="$missing $2"; fi
}
need /lib/systemd/systemd-journal-remote systemd-journal-remote
need /lib/systemd/systemd-journal-gatewayd systemd-journal-remote
need journalctl systemd
need systemd-socket-activate systemd
need /usr/bin/stdbuf coreutils # journalctl source: larger output pieces (used when present)
if [ "$want_test" = 1 ]; then
  need /lib/systemd/systemd-journal-upload systemd-journal-remote # journal-upload e2e
  need logger bsdutils                                              # syslog e2e (util-linux logger)
  need openssl openssl                                              # TLS e2e (self-signed certificates)
  need /usr/bin/chromium chromium                                   # web UI e2e (headless, via playwright-core)
  need etcd etcd-server                                             # cluster e2e (real etcd v3 on loopback)
  need etcdctl etcd-client                                          # etcd auth e2e (users, roles)
  need bash bash                                                    # CLI e2e (pipes: query | head)
  need mount mount                                                  # full-disk e2e (a small tmpfs)
  need umount mount
  need xz xz-utils                                                  # journal files e2e (XZ-compressed DATA objects)
  need systemd-analyze systemd                                      # deploy tests (systemd-analyze verify)
fi
if [ "$want_bench" = 1 ]; then
  need /usr/bin/time time # peak memory of the measured command
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "bootstrap: missing Debian packages:$missing — install them with: sudo apt-get install$missing" >&2
    exit 1
  fi
fi

# npm packages (better-sqlite3 compiles from source, about a minute the first time).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: installing npm packages"
  npm ci --no-audit --no-fund
fi

# Build (type-check and compile to dist/).
node scripts/build.mjs
