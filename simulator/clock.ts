/** Something that tells virtual time and can wait on it. The provider and engine take one of these. */
export interface Clock {
  /** Virtual epoch milliseconds. */
  now(): number;
  /** Resolves when virtual time reaches now()+ms; rejects with `signal.reason` when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

interface Sleeper {
  deadline: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A virtual clock.
 * - "manual": time moves only through advance()/advanceTo(); sleepers wake in deadline order.
 * - "scaled": virtual time = start + real elapsed × speed; sleep(ms) waits ms/speed real milliseconds.
 */
export class VirtualClock implements Clock {
  /** "manual" or "scaled". */
  readonly mode: "manual" | "scaled";
  private base: number;
  private realBase = performance.now();
  private speed: number;
  private readonly sleepers: Sleeper[] = [];

  constructor(opts: { start?: number; speed?: number; mode?: "manual" | "scaled" } = {}) {
    this.mode = opts.mode ?? "scaled";
    this.base = opts.start ?? Date.now();
    this.speed = opts.speed ?? 1;
  }

  now(): number {
    if (this.mode === "manual") return this.base;
    return Math.floor(this.base + (performance.now() - this.realBase) * this.speed);
  }

  /** Current speed factor (scaled mode; 0 in manual mode). */
  getSpeed(): number {
    return this.mode === "manual" ? 0 : this.speed;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      if (this.mode === "scaled") {
        // Node timers can fire a little early against performance.now(); re-arm until virtual time is really due.
        const deadline = this.now() + Math.max(0, ms);
        let timer: NodeJS.Timeout | undefined;
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const arm = (): void => {
          const remaining = deadline - this.now();
          if (remaining <= 0) {
            signal?.removeEventListener("abort", onAbort);
            resolve();
            return;
          }
          timer = setTimeout(arm, Math.max(1, Math.ceil(remaining / this.speed)));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        arm();
        return;
      }
      const sleeper: Sleeper = { deadline: this.base + Math.max(0, ms), resolve, reject, signal };
      if (signal) {
        sleeper.onAbort = () => {
          const i = this.sleepers.indexOf(sleeper);
          if (i >= 0) this.sleepers.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", sleeper.onAbort, { once: true });
      }
      // Keep sleepers sorted by deadline (stable: equal deadlines wake in call order).
      let i = this.sleepers.length;
      while (i > 0 && this.sleepers[i - 1].deadline > sleeper.deadline) i--;
      this.sleepers.splice(i, 0, sleeper);
    });
  }

  /** Manual mode: moves time forward by ms, waking due sleepers in deadline order. */
  advance(ms: number): void {
    this.advanceTo(this.now() + ms);
  }

  /** Manual mode: moves time forward to t (never backwards), waking due sleepers in deadline order. */
  advanceTo(t: number): void {
    if (this.mode !== "manual") throw new Error("advance() needs a manual clock");
    while (this.sleepers.length > 0 && this.sleepers[0].deadline <= t) {
      const s = this.sleepers.shift() as Sleeper;
      this.base = Math.max(this.base, s.deadline);
      if (s.onAbort) s.signal?.removeEventListener("abort", s.onAbort);
      s.resolve();
    }
    this.base = Math.max(this.base, t);
  }

  /** Earliest pending sleeper deadline (manual mode). */
  nextWakeup(): number | undefined {
    return this.sleepers[0]?.deadline;
  }

  /** Number of sleepers waiting (manual mode). */
  pendingSleepers(): number {
    return this.sleepers.length;
  }

  /** Scaled mode: changes the speed from now on without a jump in virtual time. */
  setSpeed(speed: number): void {
    if (this.mode !== "scaled") throw new Error("setSpeed() needs a scaled clock");
    this.base = this.now();
    this.realBase = performance.now();
    this.speed = speed;
  }

  /**
   * Moves virtual time forward to at least t in either mode (used when restoring persisted state).
   * @internal
   */
  restoreTo(t: number): void {
    if (t <= this.now()) return;
    if (this.mode === "manual") this.advanceTo(t);
    else {
      this.base = t;
      this.realBase = performance.now();
    }
  }
}
