// enrich: adds fields, never changes one. From what Docker's journald driver writes
// (CONTAINER_NAME, IMAGE_NAME): the Kubernetes container, pod, namespace and pod uid when the name
// is a kubelet's (kubernetes.ts), the image repository and tag; and static labels from the
// configuration (cluster, region, ...) on every entry. Fields the entry has already are left as they
// are. The additions are appended to the entry's bytes (edit.ts appendFields), nothing re-encoded.
import type { ExportField } from "../../../core/journal/export-encoder.js";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_CONTAINER_NAME } from "../../../core/journal/fields.js";
import { appendFields } from "../edit.js";
import type { Transform } from "../transform.js";
import { parseImageName, parseKubernetesName } from "./kubernetes.js";

export const FIELD_K8S_NAMESPACE = "K8S_NAMESPACE";
export const FIELD_K8S_POD = "K8S_POD_NAME";
export const FIELD_K8S_POD_UID = "K8S_POD_UID";
export const FIELD_K8S_CONTAINER = "K8S_CONTAINER_NAME";
export const FIELD_IMAGE_NAME = "IMAGE_NAME";
export const FIELD_IMAGE_REPOSITORY = "IMAGE_REPOSITORY";
export const FIELD_IMAGE_TAG = "IMAGE_TAG";

export interface EnrichSpec {
  /** Kubernetes names and image parts from container fields (default true). */
  containers?: boolean;
  /** Static fields added to every entry: FIELD_NAME → value (names as journal fields: A-Z, 0-9, _). */
  labels?: Record<string, string>;
}

export class EnrichTransform implements Transform {
  readonly name: string;
  readonly held = 0;
  enriched = 0;
  private readonly containers: boolean;
  private readonly labels: ExportField[];
  private readonly memo = new Map<string, ExportField[]>();

  constructor(spec: EnrichSpec = {}, name = "enrich") {
    this.name = name;
    this.containers = spec.containers ?? true;
    this.labels = Object.entries(spec.labels ?? {});
  }

  process(entry: ExportEntry, out: ExportEntry[]): void {
    let add: ExportField[] | undefined;
    if (this.containers) {
      const name = entry.get(FIELD_CONTAINER_NAME);
      const image = entry.get(FIELD_IMAGE_NAME);
      if (name !== undefined || image !== undefined) add = this.containerFields(name ?? "", image ?? "").filter(([k]) => !entry.has(k));
    }
    for (const l of this.labels) if (!entry.has(l[0])) (add ??= []).push(l);
    if (add === undefined || add.length === 0) {
      out.push(entry);
      return;
    }
    this.enriched++;
    out.push(appendFields(entry, add));
  }

  flush(): void {}

  counters(): Record<string, number> {
    return { enriched: this.enriched };
  }

  private containerFields(name: string, image: string): ExportField[] {
    const key = `${name}\n${image}`;
    let f = this.memo.get(key);
    if (f === undefined) {
      f = [];
      const k = parseKubernetesName(name);
      if (k !== undefined) f.push([FIELD_K8S_NAMESPACE, k.namespace], [FIELD_K8S_POD, k.pod], [FIELD_K8S_POD_UID, k.podUid], [FIELD_K8S_CONTAINER, k.container]);
      if (image !== "") {
        const i = parseImageName(image);
        f.push([FIELD_IMAGE_REPOSITORY, i.repository], [FIELD_IMAGE_TAG, i.tag]);
      }
      if (this.memo.size < 10_000) this.memo.set(key, f);
    }
    return f;
  }
}
