// The container side of the demo cluster: kubelet and containerd, and application containers
// logging through Docker's journald log driver (CONTAINER_NAME, CONTAINER_ID, CONTAINER_ID_FULL,
// CONTAINER_TAG, IMAGE_NAME): orders-api writes JSON lines, billing-worker key=value (logfmt), redis
// its own format. The driver records stdout as PRIORITY 6 and stderr as PRIORITY 3.
import type { Container, Proc } from "./cluster.js";
import type { Prng } from "./prng.js";
import { shortId, type EmitContext, type Emitted } from "./workload.js";

const KUBELET: Proc = { unit: "kubelet.service", ident: "kubelet", comm: "kubelet", exe: "/usr/bin/kubelet", uid: 0, gid: 0, facility: 3, transport: "stdout" };
const CONTAINERD: Proc = { unit: "containerd.service", ident: "containerd", comm: "containerd", exe: "/usr/bin/containerd", uid: 0, gid: 0, facility: 3, transport: "stdout" };
const DOCKERD: Omit<Proc, "ident"> = { unit: "docker.service", comm: "dockerd", exe: "/usr/bin/dockerd", uid: 0, gid: 0, facility: 3, transport: "journal" };

const PODS = ["default/orders-api-7d9f8b6c5-x2lpq", "default/billing-worker-5c8d7f9b4-k8zqm", "kube-system/coredns-76f75df574-9wnbt", "monitoring/node-exporter-h7c2d", "ingress/ingress-nginx-controller-6b8d6c7d9-2xkfr"];

export function kubelet({ rng, boot, clock }: EmitContext): Emitted {
  const pid = boot.pids.kubelet;
  const pod = rng.pick(PODS);
  const r = rng.float();
  const at = (lvl: string, file: string): string => `${lvl}${clock.klog()}    ${pid} ${file}]`;
  if (r < 0.45) return { proc: KUBELET, pid, priority: 6, message: `${at("I", "kubelet.go:2461")} "SyncLoop (PLEG): event for pod" pod="${pod}" event={"ID":"${rng.hex(8)}-${rng.hex(4)}","Type":"ContainerStarted"}` };
  if (r < 0.7) return { proc: KUBELET, pid, priority: 6, message: `${at("I", "prober.go:107")} "Probe succeeded" probeType="Readiness" pod="${pod}" containerName="${pod.split("/")[1]!.split("-")[0]}"` };
  if (r < 0.85) return { proc: KUBELET, pid, priority: 4, message: `${at("W", "prober.go:104")} "Probe failed" probeType="Liveness" pod="${pod}" output="Get \\"http://10.244.${rng.int(4)}.${rng.range(2, 254)}:8080/healthz\\": context deadline exceeded"` };
  if (r < 0.95) return { proc: KUBELET, pid, priority: 6, message: `${at("I", "reconciler_common.go:300")} "operationExecutor.UnmountVolume started for volume" volumeName="kubernetes.io/projected/${rng.hex(8)}-kube-api-access"` };
  return { proc: KUBELET, pid, priority: 3, message: `${at("E", "pod_workers.go:1298")} "Error syncing pod, skipping" err="failed to \\"StartContainer\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container\\"" pod="${pod}"` };
}

export function containerd({ rng, boot, clock }: EmitContext): Emitted {
  const pid = boot.pids.containerd;
  const id = rng.hex(64);
  const r = rng.float();
  if (r < 0.4) return { proc: CONTAINERD, pid, priority: 6, message: `time="${clock.nanos()}" level=info msg="StartContainer for \\"${id.slice(0, 24)}\\" returns successfully"` };
  if (r < 0.7) return { proc: CONTAINERD, pid, priority: 6, message: `time="${clock.nanos()}" level=info msg="shim disconnected" id=${id} namespace=k8s.io` };
  if (r < 0.9) return { proc: CONTAINERD, pid, priority: 6, message: `time="${clock.nanos()}" level=info msg="ImageCreate event name:\\"registry.example.com/shop/orders-api:1.14.2\\""` };
  return { proc: CONTAINERD, pid, priority: 4, message: `time="${clock.nanos()}" level=warning msg="cleaning up after shim disconnected" id=${id.slice(0, 32)} namespace=k8s.io` };
}

/** One entry from one of the host's application containers, picked by weight of their chattiness. */
export function appContainer(ctx: EmitContext): Emitted {
  const { rng, boot } = ctx;
  const x = rng.float();
  // orders-api replicas talk most, billing-worker less, redis little.
  const index = x < 0.32 ? 0 : x < 0.64 ? 1 : x < 0.9 ? 2 : 3;
  const c = boot.containers[index]!;
  const pid = boot.pids.containers[index]!;
  const out = c.app === "orders-api" ? ordersApi(ctx) : c.app === "billing-worker" ? billingWorker(ctx) : redis(ctx, pid);
  return {
    proc: { ...DOCKERD, ident: c.id.slice(0, 12) },
    pid: boot.pids.dockerd,
    priority: out.stderr ? 3 : 6,
    message: out.message,
    extra: containerFields(c),
  };
}

function containerFields(c: Container): Emitted["extra"] {
  return [
    ["CONTAINER_NAME", c.name],
    ["CONTAINER_ID", c.id.slice(0, 12)],
    ["CONTAINER_ID_FULL", c.id],
    ["CONTAINER_TAG", c.id.slice(0, 12)],
    ["IMAGE_NAME", c.image],
  ];
}

interface Line {
  message: string;
  stderr: boolean;
}

const ROUTES = ["GET /v1/orders", "POST /v1/orders", "GET /v1/orders/:id", "PUT /v1/cart", "POST /v1/checkout"];

function ordersApi({ rng, clock }: EmitContext): Line {
  const r = rng.float();
  const rid = rng.hex(16);
  if (r < 0.78) {
    const [method, path] = rng.pick(ROUTES).split(" ") as [string, string];
    const status = rng.chance(0.96) ? (method === "POST" ? 201 : 200) : rng.pick([400, 404, 409, 422]);
    const ms = Math.round(rng.logNormal(18, 0.9));
    return { stderr: false, message: `{"level":"info","ts":"${clock.iso}","logger":"http","msg":"request completed","method":"${method}","path":"${path}","status":${status},"duration_ms":${ms},"request_id":"${rid}"}` };
  }
  if (r < 0.86) return { stderr: false, message: `{"level":"info","ts":"${clock.iso}","logger":"orders","msg":"order created","order_id":"ord_${shortId(rng, 10)}","customer_id":${rng.range(1000, 99999)},"amount_cents":${rng.range(499, 250000)},"currency":"EUR"}` };
  if (r < 0.93) return { stderr: false, message: `{"level":"warn","ts":"${clock.iso}","logger":"db","msg":"slow query","duration_ms":${rng.range(500, 4000)},"table":"orders","request_id":"${rid}"}` };
  if (r < 0.97) return { stderr: true, message: `{"level":"error","ts":"${clock.iso}","logger":"db","msg":"connection timeout","peer":"10.0.0.12:5432","timeout_ms":5000,"attempt":${rng.range(1, 5)},"request_id":"${rid}"}` };
  return { stderr: true, message: `{"level":"error","ts":"${clock.iso}","logger":"payments","msg":"payment declined","provider":"stripe","code":"card_declined","order_id":"ord_${shortId(rng, 10)}"}` };
}

function billingWorker({ rng, clock }: EmitContext): Line {
  const r = rng.float();
  const job = `job_${shortId(rng, 12)}`;
  if (r < 0.7) return { stderr: false, message: `time=${clock.iso} level=info msg="invoice processed" invoice_id=inv_${shortId(rng, 8)} customer=cus_${rng.range(1000, 99999)} amount=${(rng.range(499, 250000) / 100).toFixed(2)} currency=EUR duration_ms=${Math.round(rng.logNormal(60, 0.7))} job=${job}` };
  if (r < 0.85) return { stderr: false, message: `time=${clock.iso} level=info msg="queue stats" queue=invoices pending=${rng.range(0, 400)} in_flight=${rng.range(0, 16)} workers=16` };
  if (r < 0.94) return { stderr: false, message: `time=${clock.iso} level=warn msg="payment provider slow" provider=stripe latency_ms=${rng.range(1500, 9000)} attempt=${rng.range(1, 3)} job=${job}` };
  return { stderr: true, message: `time=${clock.iso} level=error msg="connection timeout" component=ledger peer=10.0.0.12:5432 timeout_ms=5000 err="dial tcp 10.0.0.12:5432: i/o timeout" job=${job}` };
}

function redis({ rng, clock }: EmitContext, pid: number): Line {
  const at = `1:M ${clock.redis()}`;
  const r = rng.float();
  if (r < 0.4) return { stderr: false, message: `${at} * ${rng.range(1, 100)} changes in 60 seconds. Saving...` };
  if (r < 0.7) return { stderr: false, message: `${at} * Background saving started by pid ${pid + rng.range(1, 5000)}` };
  if (r < 0.95) return { stderr: false, message: `${at} * Background saving terminated with success` };
  return { stderr: false, message: `${at} # WARNING: ${randomWarning(rng)}` };
}

function randomWarning(rng: Prng): string {
  return rng.pick([
    "Memory overcommit must be enabled! Without it, a background save may fail under low memory conditions.",
    "The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to 128.",
  ]);
}
