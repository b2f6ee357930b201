// deploy/: the systemd units pass `systemd-analyze verify` (in a scratch root with stub binaries, so the
// host needs nothing installed), the YAML files parse and carry what their kind requires.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { repoRoot, tempDir } from "../harness/paths.js";

const deploy = join(repoRoot, "deploy");
const read = (p: string): string => readFileSync(join(deploy, p), "utf8");
type Doc = Record<string, any>;

function yamlDocs(p: string): Doc[] {
  const docs = parseAllDocuments(read(p));
  for (const d of docs) assert.deepEqual(d.errors, [], `${p}: ${d.errors.join("; ")}`);
  return docs.map((d) => d.toJS() as Doc).filter((d) => d !== null);
}

/** A root with the distribution's units, stub executables and our units in /etc/systemd/system. */
function scratchRoot(root: string): void {
  const system = ["/lib/systemd/system", "/usr/lib/systemd/system"].find((d) => existsSync(join(d, "sysinit.target")));
  assert.ok(system, "the distribution's systemd units (sysinit.target) are installed");
  cpSync(system, join(root, "lib/systemd/system"), { recursive: true });
  for (const bin of ["/usr/local/bin/logharbor", "/usr/bin/docker", "/usr/bin/bash", "/usr/bin/install", "/bin/kill"]) {
    mkdirSync(join(root, bin, ".."), { recursive: true });
    writeFileSync(join(root, bin), "#!/bin/sh\n");
    chmodSync(join(root, bin), 0o755);
  }
  mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
  if (!existsSync(join(root, "lib/systemd/system/docker.service"))) {
    writeFileSync(join(root, "etc/systemd/system/docker.service"), "[Service]\nExecStart=/usr/bin/docker\n");
  }
}

/** `systemd-analyze verify` of these unit texts in the root: its complaints, "" when there are none. */
function verify(root: string, units: Record<string, string>): string {
  const dir = join(root, "etc/systemd/system");
  for (const [name, text] of Object.entries(units)) writeFileSync(join(dir, name), text);
  const r = spawnSync("systemd-analyze", ["verify", "--man=no", `--root=${root}`, ...Object.keys(units).map((n) => `/etc/systemd/system/${n}`)], { encoding: "utf8" });
  assert.equal(r.error, undefined, "systemd-analyze runs");
  return r.status === 0 ? r.stderr.trim() : `exit ${r.status}: ${r.stderr.trim()}`;
}

describe("deploy/systemd", () => {
  let scratch: ReturnType<typeof tempDir>;
  before(() => {
    scratch = tempDir();
    scratchRoot(scratch.path);
  });
  after(() => scratch.dispose());

  test("the socket and both services pass systemd-analyze verify without a warning", () => {
    const names = readdirSync(join(deploy, "systemd")).filter((n) => /\.(service|socket)$/.test(n));
    assert.deepEqual(names.sort(), ["logharbor-serve.service", "logharbor-ship.service", "systemd-journal-gatewayd.socket"]);
    assert.equal(verify(scratch.path, Object.fromEntries(names.map((n) => [n, read(`systemd/${n}`)]))), "");
  });

  test("verification catches a misspelt key (the check is not vacuous)", () => {
    const broken = read("systemd/logharbor-ship.service").replace("ProtectSystem=strict", "ProtectSytem=strict");
    assert.match(verify(scratch.path, { "broken.service": broken }), /Unknown key 'ProtectSytem'/);
  });

  test("the services run as a dynamic user that writes only its state directory", () => {
    for (const n of ["logharbor-ship.service", "logharbor-serve.service"]) {
      const t = read(`systemd/${n}`);
      for (const line of ["DynamicUser=yes", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=", "PrivateTmp=yes"]) {
        assert.match(t, new RegExp(`^${line}$`, "m"), `${n}: ${line}`);
      }
      assert.match(t, /^StateDirectory=logharbor-(ship|serve)$/m, n);
      assert.match(t, /--(state|data) \$\{STATE_DIRECTORY\}/, `${n}: uses the state directory`);
    }
    assert.match(read("systemd/logharbor-ship.service"), /^SupplementaryGroups=systemd-journal$/m);
    assert.match(read("systemd/systemd-journal-gatewayd.socket"), /^ListenStream=\/run\/journald\.sock$/m);
  });

  test("the CoreOS fleet unit and the units inside the cloud-config and the Butane config pass systemd-analyze verify", () => {
    const units: Record<string, string> = { "logharbor-ship-fleet.service": read("coreos/logharbor-ship.fleet.service") };
    const cloud = yamlDocs("coreos/cloud-config.yaml")[0]!;
    for (const u of cloud["coreos"].units as Doc[]) units[`cc-${u["name"]}`] = u["content"];
    const butane = yamlDocs("coreos/butane.yaml")[0]!;
    for (const u of butane["systemd"].units as Doc[]) units[`bu-${u["name"]}`] = u["contents"];
    assert.equal(Object.keys(units).length, 5);
    assert.equal(verify(scratch.path, units), "");
  });
});

describe("deploy/coreos", () => {
  test("every variant reads the token from etcd and mounts the gatewayd socket, as journal-2-logentries did", () => {
    const texts = [
      read("coreos/logharbor-ship.fleet.service"),
      ...(yamlDocs("coreos/cloud-config.yaml")[0]!["coreos"].units as Doc[]).map((u) => String(u["content"])),
      ...(yamlDocs("coreos/butane.yaml")[0]!["systemd"].units as Doc[]).map((u) => String(u["contents"])),
    ];
    const ships = texts.filter((t) => t.includes("docker run"));
    assert.equal(ships.length, 3);
    for (const t of ships) {
      assert.match(t, /LOGENTRIES_TOKEN=\$\(ETCDCTL_API=3 etcdctl get --print-value-only \/logentries\.com\/token\)/);
      assert.match(t, /-v \/run\/journald\.sock:\/run\/journald\.sock/);
      assert.match(t, /-v \/var\/lib\/logharbor:\/var\/lib\/logharbor/, "the checkpoint survives the container");
    }
    assert.match(read("coreos/logharbor-ship.fleet.service"), /^\[X-Fleet\]\nGlobal=true$/m);
    assert.ok(read("coreos/cloud-config.yaml").startsWith("#cloud-config\n"));
    const butane = yamlDocs("coreos/butane.yaml")[0]!;
    assert.equal(butane["variant"], "flatcar");
    assert.match(String(butane["version"]), /^1\.\d+\.\d+$/);
  });
});

describe("deploy/kubernetes", () => {
  const byKind = (docs: Doc[], kind: string): Doc => {
    const d = docs.find((x) => x["kind"] === kind);
    assert.ok(d, `a ${kind}`);
    return d;
  };

  test("every object names its apiVersion, kind, name and namespace", () => {
    for (const f of ["kubernetes/ship-daemonset.yaml", "kubernetes/serve.yaml"]) {
      for (const d of yamlDocs(f)) {
        assert.match(String(d["apiVersion"]), /^(v1|apps\/v1)$/, f);
        assert.equal(typeof d["kind"], "string", f);
        assert.equal(typeof d["metadata"]?.name, "string", f);
        if (d["kind"] !== "Namespace") assert.equal(d["metadata"].namespace, "logharbor", `${f}: ${d["kind"]}`);
      }
    }
  });

  test("the ship DaemonSet mounts the host journal read-only and takes its token from a Secret", () => {
    const ds = byKind(yamlDocs("kubernetes/ship-daemonset.yaml"), "DaemonSet");
    assert.equal(ds["apiVersion"], "apps/v1");
    const tpl = ds["spec"].template;
    assert.deepEqual({ ...tpl.metadata.labels, ...ds["spec"].selector.matchLabels }, tpl.metadata.labels, "the selector matches the pods");
    const c = (tpl.spec.containers as Doc[]).find((x) => x["name"] === "ship")!;
    assert.equal(c["args"][0], "ship");
    const j = (c["args"] as string[]).indexOf("--journal");
    assert.equal(c["args"][j + 1], "files", "the journal files are read directly (no journalctl in the image)");
    const journal = (c["volumeMounts"] as Doc[]).find((m) => m["mountPath"] === "/var/log/journal")!;
    assert.equal(journal["readOnly"], true);
    const vol = (tpl.spec.volumes as Doc[]).find((v) => v["name"] === journal["name"])!;
    assert.equal(vol["hostPath"].path, "/var/log/journal");
    const token = (c["env"] as Doc[]).find((e) => e["name"] === "LOGHARBOR_TOKEN")!;
    assert.equal(token["valueFrom"].secretKeyRef.name, "logharbor-ship");
    assert.equal(tpl.spec.securityContext.runAsNonRoot, true);
    const state = (c["volumeMounts"] as Doc[]).find((m) => m["mountPath"] === "/var/lib/logharbor")!;
    assert.ok((tpl.spec.volumes as Doc[]).find((v) => v["name"] === state["name"])!["hostPath"], "the checkpoint stays on the node");
  });

  test("serve runs as one Deployment on a PersistentVolumeClaim behind a Service", () => {
    const docs = yamlDocs("kubernetes/serve.yaml");
    const dep = byKind(docs, "Deployment");
    const svc = byKind(docs, "Service");
    const pvc = byKind(docs, "PersistentVolumeClaim");
    assert.equal(dep["spec"].replicas, 1);
    assert.equal(dep["spec"].strategy.type, "Recreate");
    const labels = dep["spec"].template.metadata.labels;
    assert.deepEqual({ ...labels, ...dep["spec"].selector.matchLabels }, labels);
    assert.deepEqual({ ...labels, ...svc["spec"].selector }, labels, "the Service selects the serve pods");
    const claim = (dep["spec"].template.spec.volumes as Doc[]).find((v) => v["persistentVolumeClaim"])!;
    assert.equal(claim["persistentVolumeClaim"].claimName, pvc["metadata"].name);
    assert.ok(pvc["spec"].resources.requests.storage);
    const c = dep["spec"].template.spec.containers[0];
    assert.deepEqual(c.args.slice(0, 3), ["serve", "--data", "/var/lib/logharbor"]);
    const port = svc["spec"].ports[0];
    assert.ok((c.ports as Doc[]).some((p) => p["name"] === port.targetPort || p["containerPort"] === port.targetPort));
  });
});

describe("deploy/docker", () => {
  test("the Dockerfile builds in two stages and runs as a non-root user in systemd-journal", () => {
    const d = read("docker/Dockerfile");
    assert.equal(d.match(/^FROM /gm)?.length, 2);
    assert.match(d, /^COPY --from=build /m);
    const user = /^USER (\S+)$/m.exec(d)?.[1];
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    assert.match(user!, /:systemd-journal$/);
    const runtime = d.slice(d.lastIndexOf("FROM "));
    assert.doesNotMatch(runtime, /apt-get install[^\n]*\bsystemd\b/, "no systemd (journalctl) in the runtime image: ship reads the files itself");
  });

  test("the README's one-liners mount the gatewayd socket or the journal directory, as journal-2-logentries did", () => {
    const r = read("docker/README.md");
    assert.match(r, /-e 'LOGENTRIES_TOKEN=<token>' \\\n\s+-v \/run\/journald\.sock:\/run\/journald\.sock/);
    assert.match(r, /-v \/var\/log\/journal:\/var\/log\/journal:ro/);
  });
});
