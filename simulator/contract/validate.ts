import { ACTIONS, REGIONS } from "./api.generated";
import type { ActionSpec, ParamSpec, RegionSpec } from "./types";

export type { ActionSpec, ParamSpec, RegionSpec } from "./types";
export { ACTIONS, REGIONS };

/**
 * What is wrong with one request parameter, judged against Alibaba Cloud's API metadata
 * (aliyun/aliyun-openapi-meta, one <product>/<Action>.json per action; see api.generated.ts):
 * - missing: a `"required": true` parameter is absent or empty;
 * - type: an Integer/Long that is not an integer, a Boolean that is not true/false;
 * - repeatList: a RepeatList sent flat ("Tag=…"), with an index that is not 1, 2, …, or with a field its elements
 *   do not have ("Tag.1.Colour");
 * - unknown: a parameter the action does not have (common parameters such as AccessKeyId are not reported).
 */
export interface Problem {
  kind: "missing" | "type" | "repeatList" | "unknown";
  /** The parameter as named in the metadata ("DestinationSnapshotName", "Tag.N.Key", "ResourceId.N"). */
  param: string;
  /** The wire name that was sent, when one was ("Tag.0.Key"). */
  sent?: string;
  message: string;
}

/**
 * Parameters every RPC call may carry besides the action's own (Alibaba "Common parameters" page for RPC-style
 * APIs: Action, Version, Format, AccessKeyId, Signature*, Timestamp, SecurityToken). RegionId is accepted too: KMS
 * actions list none, but pop-core-style callers send it and the simulator reads it as the KMS region.
 */
export const COMMON_PARAMS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "SecurityToken",
  "RegionId",
]);

const byKey = new Map<string, ActionSpec>(ACTIONS.map((a) => [`${a.product.toLowerCase()}/${a.action}`, a]));

/** The metadata of one action, or undefined when the project carries none for it. */
export function actionSpec(product: string, action: string): ActionSpec | undefined {
  return byKey.get(`${product.toLowerCase()}/${action}`);
}

/** The region's display name and endpoints (products.json of the same metadata). */
export function regionSpec(regionId: string): RegionSpec | undefined {
  return REGIONS[regionId];
}

const INTEGER = /^-?\d+$/;
const BOOLEAN = /^(true|false)$/i;

function typeProblem(spec: ParamSpec, shown: string, sent: string, value: string): Problem | undefined {
  if ((spec.type === "Integer" || spec.type === "Long") && !INTEGER.test(value))
    return { kind: "type", param: shown, sent, message: `${sent} must be an ${spec.type}; got "${value}".` };
  if (spec.type === "Boolean" && !BOOLEAN.test(value))
    return {
      kind: "type",
      param: shown,
      sent,
      message: `${sent} must be a Boolean (true/false); got "${value}".`,
    };
  return undefined;
}

/** Checks the indexed names of one RepeatList ("Tag.1.Key", "ResourceId.2") and returns its problems. */
function repeatListProblems(spec: ParamSpec, names: string[], params: Record<string, string>): Problem[] {
  const out: Problem[] = [];
  const shown = `${spec.name}.N`;
  const indices = new Set<number>();
  for (const sent of names) {
    const rest = sent.slice(spec.name.length);
    const m = /^\.(\d+)(?:\.(.+))?$/.exec(rest);
    if (!m || Number(m[1]) < 1) {
      out.push({
        kind: "repeatList",
        param: shown,
        sent,
        message: `${sent}: a RepeatList travels as ${spec.name}.1${spec.sub ? ".<Field>" : ""}, ${spec.name}.2, …`,
      });
      continue;
    }
    indices.add(Number(m[1]));
    const field = m[2];
    if (!spec.sub) {
      if (field !== undefined)
        out.push({
          kind: "repeatList",
          param: shown,
          sent,
          message: `${sent}: ${spec.name}.N has no fields.`,
        });
      continue;
    }
    if (field === undefined) {
      out.push({
        kind: "repeatList",
        param: shown,
        sent,
        message: `${sent}: each ${spec.name}.N is an object with ${spec.sub.map((s) => s.name).join(", ")}.`,
      });
      continue;
    }
    const sub = spec.sub.find(
      (s) => s.name === field || (s.type === "RepeatList" && field.startsWith(`${s.name}.`)),
    );
    if (!sub) {
      out.push({
        kind: "unknown",
        param: `${spec.name}.N.${field}`,
        sent,
        message: `${spec.name}.N has no field ${field}.`,
      });
      continue;
    }
    if (sub.type !== "RepeatList") {
      const p = typeProblem(sub, `${spec.name}.N.${sub.name}`, sent, params[sent]);
      if (p) out.push(p);
    }
  }
  // Elements must be numbered 1..n without gaps: the SDKs flatten arrays that way.
  const sorted = [...indices].sort((a, b) => a - b);
  if (sorted.some((n, i) => n !== i + 1))
    out.push({
      kind: "repeatList",
      param: shown,
      message: `${spec.name}.N indices must be 1, 2, … without gaps; got ${sorted.join(", ")}.`,
    });
  if (spec.sub)
    for (const i of sorted)
      for (const s of spec.sub)
        if (s.required && !params[`${spec.name}.${i}.${s.name}`])
          out.push({
            kind: "missing",
            param: `${spec.name}.N.${s.name}`,
            sent: `${spec.name}.${i}.${s.name}`,
            message: `${spec.name}.${i}.${s.name} is required.`,
          });
  return out;
}

/**
 * Checks one RPC request (flattened parameters, as they travel: "Tag.1.Key") against the action's metadata.
 * Returns the problems in metadata order; an empty list means the request is well formed. Throws when the
 * project carries no metadata for the action.
 */
export function validateRequest(product: string, action: string, params: Record<string, string>): Problem[] {
  const spec = actionSpec(product, action);
  if (!spec) throw new Error(`no API metadata for ${product} ${action}`);
  const out: Problem[] = [];
  const claimed = new Set<string>();
  for (const p of spec.params) {
    if (p.type === "RepeatList") {
      const names = Object.keys(params).filter((k) => k === p.name || k.startsWith(`${p.name}.`));
      names.forEach((n) => claimed.add(n));
      if (p.required && names.length === 0)
        out.push({ kind: "missing", param: `${p.name}.N`, message: `${p.name}.N is required.` });
      out.push(...repeatListProblems(p, names, params));
      continue;
    }
    claimed.add(p.name);
    const v = params[p.name];
    if (v === undefined || v === "") {
      if (p.required) out.push({ kind: "missing", param: p.name, message: `${p.name} is required.` });
      continue;
    }
    const t = typeProblem(p, p.name, p.name, v);
    if (t) out.push(t);
  }
  for (const k of Object.keys(params))
    if (!claimed.has(k) && !COMMON_PARAMS.has(k))
      out.push({ kind: "unknown", param: k, sent: k, message: `${action} has no parameter ${k}.` });
  return out;
}
