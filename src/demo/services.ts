// Host services of the demo cluster and what they log: nginx (access and error log), PostgreSQL,
// sshd, cron, systemd (PID 1) and the kernel. Messages follow each daemon's real format.
import type { Proc } from "./cluster.js";
import { Weighted } from "./prng.js";
import { clientIp, ephemeralPort, fillPath, HTTP_PATHS, shortId, USER_AGENTS, type EmitContext, type Emitted } from "./workload.js";

const NGINX: Proc = { unit: "nginx.service", ident: "nginx", comm: "nginx", exe: "/usr/sbin/nginx", uid: 33, gid: 33, facility: 3, transport: "stdout" };
const POSTGRES: Proc = { unit: "postgresql.service", ident: "postgres", comm: "postgres", exe: "/usr/lib/postgresql/15/bin/postgres", uid: 106, gid: 112, facility: 16, transport: "syslog" };
const SSHD: Proc = { unit: "sshd.service", ident: "sshd", comm: "sshd", exe: "/usr/sbin/sshd", uid: 0, gid: 0, facility: 4, transport: "syslog" };
const CRON: Proc = { unit: "cron.service", ident: "CRON", comm: "cron", exe: "/usr/sbin/cron", uid: 0, gid: 0, facility: 9, transport: "syslog" };
const SYSTEMD: Proc = { unit: "init.scope", ident: "systemd", comm: "systemd", exe: "/usr/lib/systemd/systemd", uid: 0, gid: 0, facility: 3, transport: "journal" };
const KERNEL: Proc = { ident: "kernel", facility: 0, transport: "kernel" };

const STATUS = new Weighted<number>([
  [200, 780], [201, 40], [204, 30], [301, 10], [304, 40], [400, 15], [401, 10], [403, 5],
  [404, 35], [499, 7], [500, 8], [502, 6], [503, 3], [504, 6],
]);
const METHOD = new Weighted<string>([["GET", 75], ["POST", 18], ["PUT", 4], ["DELETE", 2], ["HEAD", 1]]);

export function nginxAccess({ rng, boot, clock }: EmitContext): Emitted {
  const status = STATUS.draw(rng);
  const path = fillPath(rng, rng.pick(HTTP_PATHS));
  const method = path.startsWith("/static") || path === "/healthz" ? "GET" : METHOD.draw(rng);
  let rt: number;
  if (status === 504) rt = 60 + rng.float() * 0.01;
  else if (status === 499) rt = rng.float() * 30;
  else if (path.startsWith("/static")) rt = rng.logNormal(0.002, 0.6);
  else rt = rng.logNormal(0.025, 1.0);
  const bytes = status === 204 || status === 304 ? 0 : status >= 400 ? rng.range(150, 600) : rng.range(200, 48000);
  const upstream = path.startsWith("/static") ? "-" : (rt * (0.9 + rng.float() * 0.09)).toFixed(3);
  const message =
    `${clientIp(rng)} - - [${clock.nginx()}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "-" ` +
    `"${rng.pick(USER_AGENTS)}" rt=${rt.toFixed(3)} urt=${upstream}`;
  return { proc: NGINX, pid: rng.pick(boot.pids.nginxWorkers), priority: 6, message };
}

export function nginxError({ rng, boot, clock }: EmitContext): Emitted {
  const pid = rng.pick(boot.pids.nginxWorkers);
  const conn = rng.range(10000, 9999999);
  const client = clientIp(rng);
  const upstream = `10.244.${rng.int(4)}.${rng.range(2, 254)}:8080`;
  const path = fillPath(rng, rng.pick(HTTP_PATHS.slice(0, 5)));
  const head = `${clock.nginxError()} [LEVEL] ${pid}#${pid}: *${conn}`;
  const tail = `client: ${client}, request: "GET ${path} HTTP/1.1", upstream: "http://${upstream}${path}"`;
  const r = rng.float();
  if (r < 0.45) return { proc: NGINX, pid, priority: 3, message: `${head.replace("LEVEL", "error")} upstream timed out (110: Connection timed out) while reading response header from upstream, ${tail}` };
  if (r < 0.7) return { proc: NGINX, pid, priority: 3, message: `${head.replace("LEVEL", "error")} connect() failed (111: Connection refused) while connecting to upstream, ${tail}` };
  if (r < 0.9) return { proc: NGINX, pid, priority: 4, message: `${head.replace("LEVEL", "warn")} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/${rng.range(1, 9)}/${rng.range(10, 99)}/00000${rng.range(10000, 99999)}` };
  return { proc: NGINX, pid, priority: 4, message: `${head.replace("LEVEL", "warn")} limiting requests, excess: ${(rng.float() * 20).toFixed(3)} by zone "api", client: ${client}, server: shop.example.com` };
}

const PG_TABLES = ["orders", "order_items", "customers", "payments", "invoices", "carts"];
const PG_USERS = ["app", "billing", "reporting"];

export function postgres({ rng, boot, clock }: EmitContext): Emitted {
  const backend = rng.range(boot.pids.postgres + 1, boot.pids.postgres + 40000);
  const at = `${clock.postgres()} [${backend}]`;
  const user = rng.pick(PG_USERS);
  const table = rng.pick(PG_TABLES);
  const r = rng.float();
  let priority = 6;
  let m: string;
  if (r < 0.3) m = `${at} LOG:  connection received: host=10.244.${rng.int(4)}.${rng.range(2, 254)} port=${ephemeralPort(rng)}`;
  else if (r < 0.55) m = `${at} LOG:  connection authorized: user=${user} database=shop application_name=${user === "app" ? "orders-api" : user}`;
  else if (r < 0.72) m = `${at} ${user}@shop LOG:  duration: ${(rng.logNormal(800, 0.8) + 500).toFixed(3)} ms  statement: SELECT * FROM ${table} WHERE customer_id = ${rng.range(1000, 99999)} ORDER BY created_at DESC LIMIT 50`;
  else if (r < 0.82) m = `${at} LOG:  automatic vacuum of table "shop.public.${table}": index scans: 1, pages: 0 removed, ${rng.range(100, 90000)} remain`;
  else if (r < 0.88) m = `${clock.postgres()} [${boot.pids.postgres + 3}] LOG:  checkpoint complete: wrote ${rng.range(50, 9000)} buffers (${(rng.float() * 20).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${rng.range(0, 3)} recycled`;
  else if (r < 0.93) {
    priority = 3;
    m = `${at} ${user}@shop ERROR:  duplicate key value violates unique constraint "${table}_pkey"`;
  } else if (r < 0.96) {
    priority = 3;
    m = `${at} ${user}@shop ERROR:  canceling statement due to statement timeout`;
  } else if (r < 0.98) {
    priority = 4;
    m = `${at} ${user}@shop WARNING:  there is already a transaction in progress`;
  } else {
    priority = 3;
    m = `${at} FATAL:  password authentication failed for user "${user}"`;
  }
  return { proc: POSTGRES, pid: backend, priority, message: m };
}

const SSH_USERS = ["deploy", "ops", "ci", "alice", "bob"];
const SSH_BAD_USERS = ["admin", "root", "test", "oracle", "ubuntu", "user", "postgres", "git"];

export function sshd({ rng, boot }: EmitContext): Emitted {
  const pid = rng.range(boot.pids.sshd + 100, 60000);
  const port = ephemeralPort(rng);
  const r = rng.float();
  if (r < 0.35) {
    const ip = `${rng.pick(["45.155.205", "185.220.101", "198.51.100"])}.${rng.range(1, 254)}`;
    const u = rng.pick(SSH_BAD_USERS);
    const invalid = u !== "root";
    return { proc: SSHD, pid, priority: 6, message: `Failed password for ${invalid ? "invalid user " : ""}${u} from ${ip} port ${port} ssh2` };
  }
  if (r < 0.5) return { proc: SSHD, pid, priority: 6, message: `Invalid user ${rng.pick(SSH_BAD_USERS)} from ${rng.pick(["45.155.205", "185.220.101"])}.${rng.range(1, 254)} port ${port}` };
  if (r < 0.62) {
    const ip = `203.0.113.${rng.range(1, 254)}`;
    return { proc: SSHD, pid, priority: 6, message: `Accepted publickey for ${rng.pick(SSH_USERS)} from ${ip} port ${port} ssh2: ED25519 SHA256:${shortId(rng, 43)}` };
  }
  if (r < 0.75) return { proc: SSHD, pid, priority: 6, message: `pam_unix(sshd:session): session opened for user ${rng.pick(SSH_USERS)}(uid=${rng.range(1000, 1010)}) by (uid=0)` };
  if (r < 0.85) return { proc: SSHD, pid, priority: 6, message: `Received disconnect from 203.0.113.${rng.range(1, 254)} port ${port}:11: disconnected by user` };
  if (r < 0.95) return { proc: SSHD, pid, priority: 5, message: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=45.155.205.${rng.range(1, 254)}  user=root` };
  return { proc: SSHD, pid, priority: 3, message: `error: kex_exchange_identification: Connection closed by remote host 185.220.101.${rng.range(1, 254)} port ${port}` };
}

const CRON_JOBS = [
  ["root", "/usr/local/bin/backup-db.sh --incremental >/dev/null 2>&1"],
  ["root", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.hourly )"],
  ["www-data", "php /var/www/shop/artisan schedule:run >> /dev/null 2>&1"],
  ["postgres", "/usr/local/bin/pg-vacuum-report --database shop --quiet"],
] as const;

export function cron({ rng, boot }: EmitContext): Emitted {
  const pid = rng.range(boot.pids.cron + 1000, 60000);
  const [user, cmd] = rng.pick(CRON_JOBS);
  const uid = user === "root" ? 0 : user === "www-data" ? 33 : 106;
  const r = rng.float();
  if (r < 0.4) return { proc: CRON, pid, priority: 6, message: `(${user}) CMD (${cmd})` };
  if (r < 0.7) return { proc: CRON, pid, priority: 6, message: `pam_unix(cron:session): session opened for user ${user}(uid=${uid}) by (uid=0)` };
  return { proc: CRON, pid, priority: 6, message: `pam_unix(cron:session): session closed for user ${user}` };
}

const TIMER_UNITS = [
  ["logrotate.service", "Rotate log files"],
  ["apt-daily.service", "Daily apt download activities"],
  ["man-db.service", "Daily man-db regeneration"],
  ["systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories"],
  ["certbot.service", "Certbot renewal of TLS certificates"],
] as const;

export function systemd({ rng }: EmitContext): Emitted {
  const [unit, desc] = rng.pick(TIMER_UNITS);
  const r = rng.float();
  const extra = (u: string): Emitted["extra"] => [["UNIT", u], ["CODE_FILE", "src/core/job.c"], ["CODE_FUNC", "job_emit_done_message"]];
  if (r < 0.28) return { proc: SYSTEMD, pid: 1, priority: 6, message: `Starting ${unit} - ${desc}...`, extra: extra(unit) };
  if (r < 0.54) return { proc: SYSTEMD, pid: 1, priority: 6, message: `${unit}: Deactivated successfully.`, extra: extra(unit) };
  if (r < 0.8) return { proc: SYSTEMD, pid: 1, priority: 6, message: `Finished ${unit} - ${desc}.`, extra: extra(unit) };
  if (r < 0.9) {
    const n = rng.range(100, 9999);
    return { proc: SYSTEMD, pid: 1, priority: 6, message: `Started session-${n}.scope - Session ${n} of User ${rng.pick(SSH_USERS)}.`, extra: extra(`session-${n}.scope`) };
  }
  if (r < 0.96) return { proc: SYSTEMD, pid: 1, priority: 4, message: `postgresql.service: Watchdog timeout (limit 3min)! Consumed ${rng.range(2, 90)}.${rng.range(100, 999)}s CPU time.`, extra: extra("postgresql.service") };
  return { proc: SYSTEMD, pid: 1, priority: 3, message: `${unit}: Failed with result 'exit-code'. Main process exited, code=exited, status=1/FAILURE`, extra: extra(unit) };
}

export function kernel({ rng }: EmitContext): Emitted {
  const r = rng.float();
  const mac = (): string => Array.from({ length: 6 }, () => rng.hex(2)).join(":");
  if (r < 0.4) {
    return {
      proc: KERNEL, priority: 4,
      message: `[UFW BLOCK] IN=eth0 OUT= MAC=${mac()}:${mac()}:08:00 SRC=${rng.pick(["45.155.205", "185.220.101"])}.${rng.range(1, 254)} DST=10.0.0.${rng.range(11, 13)} LEN=44 TOS=0x00 PREC=0x00 TTL=${rng.range(40, 250)} ID=${rng.range(1, 65535)} PROTO=TCP SPT=${ephemeralPort(rng)} DPT=${rng.pick([23, 3389, 5900, 6379, 9200])} WINDOW=1024 RES=0x00 SYN URGP=0`,
      extra: [["_KERNEL_SUBSYSTEM", "netfilter"]],
    };
  }
  if (r < 0.6) return { proc: KERNEL, priority: 6, message: `IPv6: ADDRCONF(NETDEV_CHANGE): veth${rng.hex(7)}: link becomes ready`, extra: [["_KERNEL_SUBSYSTEM", "net"]] };
  if (r < 0.75) return { proc: KERNEL, priority: 6, message: `cni0: port ${rng.range(1, 30)}(veth${rng.hex(8)}) entered forwarding state`, extra: [["_KERNEL_SUBSYSTEM", "net"]] };
  if (r < 0.85) return { proc: KERNEL, priority: 4, message: `TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.` };
  if (r < 0.93) return { proc: KERNEL, priority: 4, message: `nf_conntrack: nf_conntrack: table full, dropping packet` };
  if (r < 0.97) return { proc: KERNEL, priority: 6, message: `EXT4-fs (vda1): resizing filesystem from ${rng.range(1, 9)}0485760 to ${rng.range(1, 9)}6777216 blocks` };
  const pid = rng.range(2000, 60000);
  return {
    proc: KERNEL, priority: 3,
    message: `Out of memory: Killed process ${pid} (java) total-vm:${rng.range(4, 9)}${rng.range(100000, 999999)}kB, anon-rss:${rng.range(1, 3)}${rng.range(100000, 999999)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:${rng.range(4000, 9000)}kB oom_score_adj:${rng.pick([0, 999, 1000])}`,
  };
}
