// Validated transform settings → the chain the pipeline applies (in the order given).
import { EnrichTransform } from "./enrich/enrich.js";
import { FilterTransform } from "./filter/filter.js";
import { MultilineTransform } from "./multiline/multiline.js";
import { RedactTransform } from "./redact/redact.js";
import { ThrottleTransform } from "./throttle/throttle.js";
import type { TransformConfig } from "./config.js";
import { TransformChain, type Transform } from "./transform.js";

export function createTransform(c: TransformConfig, position: number): Transform {
  const name = `${c.verb}#${position}`;
  switch (c.verb) {
    case "filter":
      return new FilterTransform(c.spec, name);
    case "redact":
      return new RedactTransform(c.spec, name);
    case "multiline":
      return new MultilineTransform(c.spec, name);
    case "throttle":
      return new ThrottleTransform(c.spec, name);
    case "enrich":
      return new EnrichTransform(c.spec, name);
    case "route":
      throw new Error("route is not a transform of the chain: the pipeline applies it (route/route.ts routesFor)");
  }
}

/** The chain of every item but `route` (which the pipeline applies, per destination). */
export function createChain(configs: readonly TransformConfig[]): TransformChain {
  return new TransformChain(configs.flatMap((c, i) => (c.verb === "route" ? [] : [createTransform(c, i)])));
}
