import { InvalidParameter, MissingParameter } from "../errors";

/** RPC parameters as received: query string and form body merged, flattened names like "Tag.1.Key". @internal */
export type Params = Record<string, string>;

/** @internal */
export function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === "") throw new MissingParameter(name);
  return v;
}

/** @internal */
export function bool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === "") return undefined;
  if (v === "true" || v === "True") return true;
  if (v === "false" || v === "False") return false;
  throw new InvalidParameter(name);
}

/** @internal */
export function int(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidParameter(name);
  return n;
}

/** Repeated parameter "Name.1", "Name.2", … in index order. @internal */
export function list(p: Params, name: string): string[] {
  const out: [number, string][] = [];
  const re = new RegExp(`^${name.replace(/\./g, "\\.")}\\.(\\d+)$`);
  for (const [k, v] of Object.entries(p)) {
    const m = re.exec(k);
    if (m) out.push([Number(m[1]), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Repeated key/value pairs "Tag.N.Key" / "Tag.N.Value" in index order. @internal */
export function tags(p: Params, name = "Tag"): [string, string][] {
  const byIndex = new Map<number, [string | undefined, string | undefined]>();
  const re = new RegExp(`^${name}\\.(\\d+)\\.(Key|Value)$`);
  for (const [k, v] of Object.entries(p)) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const pair = byIndex.get(i) ?? [undefined, undefined];
    pair[m[2] === "Key" ? 0 : 1] = v;
    byIndex.set(i, pair);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, [k, v]]) => [k ?? "", v ?? ""]);
}
