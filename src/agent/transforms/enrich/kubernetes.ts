// Kubernetes names from a Docker container name. The kubelet (dockershim and cri-dockerd) names
// containers k8s_<container>_<pod>_<namespace>_<pod uid>_<restart count>; pod and namespace
// names are DNS labels/subdomains (no "_"), so the split is unambiguous.

export interface KubernetesNames {
  container: string;
  pod: string;
  namespace: string;
  podUid: string;
  restartCount: string;
}

const K8S_NAME = /^\/?k8s_([^_]+)_([^_]+)_([^_]+)_([^_]+)_(\d+)$/;

export function parseKubernetesName(containerName: string): KubernetesNames | undefined {
  const m = K8S_NAME.exec(containerName);
  if (m === null) return undefined;
  return { container: m[1]!, pod: m[2]!, namespace: m[3]!, podUid: m[4]!, restartCount: m[5]! };
}

/** registry.example.com:5000/team/api:1.2@sha256:... → repository and tag ("latest" when none). */
export function parseImageName(image: string): { repository: string; tag: string } {
  const at = image.indexOf("@");
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  if (colon > slash) return { repository: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { repository: noDigest, tag: at >= 0 ? image.slice(at + 1) : "latest" };
}
