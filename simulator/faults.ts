import {
  InternalError,
  InvalidSecurityTokenExpired,
  ServiceUnavailable,
  type SimError,
  ThrottlingUser,
} from "./errors";
import type { FaultRule, Faults } from "./types";

/** What the faults decided for one call, before the action runs. @internal */
export interface FaultDecision {
  /** Real milliseconds to wait first. */
  latencyMs: number;
  /** Answer with this error instead of running the action. */
  error?: SimError;
  /** Destroy the socket without answering. */
  reset: boolean;
}

const ERRORS: Record<"throttle" | "unavailable" | "internal" | "tokenExpired", () => SimError> = {
  throttle: () => new ThrottlingUser(),
  tokenExpired: () => new InvalidSecurityTokenExpired(),
  unavailable: () => new ServiceUnavailable(),
  internal: () => new InternalError(),
};

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit seeded PRNG returning [0, 1). Small and fast; fault dice
 * need reproducibility, not statistical strength.
 * @internal
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: mixes an (action, region) name into the seed, so each pair gets its own dice stream. @internal */
export function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Run-time fault settings and their evaluation. @internal */
export class FaultInjector {
  faults: Faults = FaultInjector.none();
  /** Seeded dice, one stream per "action|region" (see {@link FaultInjector.dice}); empty without a seed. */
  private streams = new Map<string, () => number>();

  constructor(private readonly random: () => number = Math.random) {}

  static none(): Faults {
    return { rules: [], failCopies: [], invisibleForMs: 0 };
  }

  /** Replaces the given fields. Giving `seed` (even the same one again) restarts the dice from it. */
  set(f: Partial<Faults>): void {
    if ("seed" in f && f.seed != null && !Number.isFinite(f.seed)) {
      throw new TypeError(`faults.seed must be a number, got ${JSON.stringify(f.seed)}`);
    }
    this.faults = { ...this.faults, ...f, rules: (f.rules ?? this.faults.rules).map((r) => ({ ...r })) };
    if (this.faults.seed == null) delete this.faults.seed; // null (JSON) or undefined: back to Math.random
    if ("seed" in f) this.streams.clear();
  }

  clear(): void {
    this.faults = FaultInjector.none();
    this.streams.clear();
  }

  /**
   * The [0, 1) source for one call's dice. With a seed, each (action, region) pair draws from its own stream, so
   * the n-th call of an action in a region meets the same faults on every run with that seed, however calls of
   * other actions or regions interleave with it (concurrent clients do not arrive in a fixed order). Calls of
   * the same action and region still take the dice in arrival order.
   */
  private dice(action: string, region: string): () => number {
    const seed = this.faults.seed;
    if (seed === undefined) return this.random;
    const key = `${action}|${region}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = mulberry32(fnv1a(key, fnv1a(String(seed))));
      this.streams.set(key, stream);
    }
    return stream;
  }

  private fires(r: FaultRule, action: string, region: string, random: () => number): boolean {
    if ((r.action && r.action !== action) || (r.region && r.region !== region)) return false;
    if (r.times !== undefined && r.times <= 0) return false;
    if (random() >= r.rate) return false;
    if (r.times !== undefined) r.times--;
    return true;
  }

  /** Latency rules add up; the first error or reset rule that fires decides the outcome. */
  decide(action: string, region: string): FaultDecision {
    const d: FaultDecision = { latencyMs: 0, reset: false };
    const random = this.dice(action, region);
    for (const r of this.faults.rules) {
      if (d.error || d.reset) break;
      if (!this.fires(r, action, region, random)) continue;
      if (r.kind === "latency") d.latencyMs += r.latencyMs ?? 0;
      else if (r.kind === "reset") d.reset = true;
      else d.error = ERRORS[r.kind]();
    }
    return d;
  }
}
