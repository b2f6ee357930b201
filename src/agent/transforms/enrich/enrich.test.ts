import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExport } from "../../../core/journal/export-parser.js";
import { containerFields, entryOf, run, serviceFields } from "../testing.js";
import { EnrichTransform } from "./enrich.js";
import { parseImageName, parseKubernetesName } from "./kubernetes.js";

test("enrich: a kubelet-named container gets its Kubernetes namespace, pod, uid and container, and its image parts", () => {
  const e = entryOf(containerFields("GET /pay 200"));
  const [out] = run(new EnrichTransform(), [e]);
  const f = parseExport(out!.raw)[0]!.toFieldMap();
  assert.equal(f["K8S_NAMESPACE"], "payments");
  assert.equal(f["K8S_POD_NAME"], "api-7d9c6b5f4-x2x9k");
  assert.equal(f["K8S_POD_UID"], "5b1c7e0a-3f1e-4c2b-9d8e-7a6b5c4d3e2f");
  assert.equal(f["K8S_CONTAINER_NAME"], "api");
  assert.equal(f["IMAGE_REPOSITORY"], "registry.example.com/payments/api");
  assert.equal(f["IMAGE_TAG"], "1.14.2");
  assert.deepEqual({ ...f, K8S_NAMESPACE: 0, K8S_POD_NAME: 0, K8S_POD_UID: 0, K8S_CONTAINER_NAME: 0, IMAGE_REPOSITORY: 0, IMAGE_TAG: 0 }, { ...e.toFieldMap(), K8S_NAMESPACE: 0, K8S_POD_NAME: 0, K8S_POD_UID: 0, K8S_CONTAINER_NAME: 0, IMAGE_REPOSITORY: 0, IMAGE_TAG: 0 });
  assert.equal(out!.cursor, e.cursor);
});

test("enrich: static labels are added to every entry, without replacing a field the entry has", () => {
  const t = new EnrichTransform({ labels: { CLUSTER: "prod-eu", REGION: "eu-west-1" } });
  const out = run(t, [entryOf(serviceFields("a")), entryOf(serviceFields("b", { REGION: "us-east-1" }))]);
  assert.equal(out[0]!.get("CLUSTER"), "prod-eu");
  assert.equal(out[0]!.get("REGION"), "eu-west-1");
  assert.equal(out[1]!.get("REGION"), "us-east-1");
  assert.equal(parseExport(out[1]!.raw)[0]!.toFieldMap()["REGION"], "us-east-1", "REGION is not added twice");
});

test("enrich: an entry with nothing to add is forwarded as the same bytes", () => {
  const e = entryOf(serviceFields("plain"));
  assert.equal(run(new EnrichTransform(), [e])[0]!.raw, e.raw);
});

const NAMES: [string, ReturnType<typeof parseKubernetesName>][] = [
  ["k8s_nginx_web-5d8f7c9b6-abcde_default_0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7_3", { container: "nginx", pod: "web-5d8f7c9b6-abcde", namespace: "default", podUid: "0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7", restartCount: "3" }],
  ["k8s_POD_coredns-565d847f94-8xkqz_kube-system_9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4_0", { container: "POD", pod: "coredns-565d847f94-8xkqz", namespace: "kube-system", podUid: "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4", restartCount: "0" }],
  ["/k8s_app_job-28373640-qx7zv_batch_1b2c_1", { container: "app", pod: "job-28373640-qx7zv", namespace: "batch", podUid: "1b2c", restartCount: "1" }],
  ["web-1", undefined],
  ["k8s_too_few_parts", undefined],
];
for (const [name, expected] of NAMES) {
  test(`enrich: container name ${name} parses as ${expected ? "a kubelet name" : "no kubelet name"}`, () => {
    assert.deepEqual(parseKubernetesName(name), expected);
  });
}

test("enrich: image names split into repository and tag, with a registry port or a digest", () => {
  assert.deepEqual(parseImageName("nginx"), { repository: "nginx", tag: "latest" });
  assert.deepEqual(parseImageName("registry:5000/team/api:2.1"), { repository: "registry:5000/team/api", tag: "2.1" });
  assert.deepEqual(parseImageName("registry:5000/team/api"), { repository: "registry:5000/team/api", tag: "latest" });
  assert.deepEqual(parseImageName("alpine@sha256:abcd"), { repository: "alpine", tag: "sha256:abcd" });
});
