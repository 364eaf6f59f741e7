/** Small value helpers every rule shares. Pure. */

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A finite number. */
export const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Drops undefined values: the host turns results into protobuf Structs, which reject undefined. */
export function compact<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

/** Property bags as Pulumi passes them. */
export type Props = Record<string, unknown>;
