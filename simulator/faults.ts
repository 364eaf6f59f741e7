import { InternalError, ServiceUnavailable, type SimError, ThrottlingUser } from "./errors";
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

const ERRORS: Record<"throttle" | "unavailable" | "internal", () => SimError> = {
  throttle: () => new ThrottlingUser(),
  unavailable: () => new ServiceUnavailable(),
  internal: () => new InternalError(),
};

/** Run-time fault settings and their evaluation. @internal */
export class FaultInjector {
  faults: Faults = FaultInjector.none();

  constructor(private readonly random: () => number = Math.random) {}

  static none(): Faults {
    return { rules: [], failCopies: [], invisibleForMs: 0 };
  }

  set(f: Partial<Faults>): void {
    this.faults = { ...this.faults, ...f, rules: (f.rules ?? this.faults.rules).map((r) => ({ ...r })) };
  }

  clear(): void {
    this.faults = FaultInjector.none();
  }

  private fires(r: FaultRule, action: string, region: string): boolean {
    if ((r.action && r.action !== action) || (r.region && r.region !== region)) return false;
    if (r.times !== undefined && r.times <= 0) return false;
    if (this.random() >= r.rate) return false;
    if (r.times !== undefined) r.times--;
    return true;
  }

  /** Latency rules add up; the first error or reset rule that fires decides the outcome. */
  decide(action: string, region: string): FaultDecision {
    const d: FaultDecision = { latencyMs: 0, reset: false };
    for (const r of this.faults.rules) {
      if (d.error || d.reset) break;
      if (!this.fires(r, action, region)) continue;
      if (r.kind === "latency") d.latencyMs += r.latencyMs ?? 0;
      else if (r.kind === "reset") d.reset = true;
      else d.error = ERRORS[r.kind]();
    }
    return d;
  }
}
