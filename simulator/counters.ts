import type { CallCount } from "./types";

/** Calls per (action, region, HTTP status). @internal */
export class Counters {
  private readonly rows = new Map<string, CallCount>();

  add(action: string, region: string, status: number): void {
    const key = `${action}\u0000${region}\u0000${status}`;
    const row = this.rows.get(key);
    if (row) row.count++;
    else this.rows.set(key, { action, region, status, count: 1 });
  }

  list(): CallCount[] {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  count(f: { action?: string; region?: string; status?: number } = {}): number {
    let n = 0;
    for (const r of this.rows.values()) {
      if (
        (f.action === undefined || r.action === f.action) &&
        (f.region === undefined || r.region === f.region) &&
        (f.status === undefined || r.status === f.status)
      )
        n += r.count;
    }
    return n;
  }

  reset(): void {
    this.rows.clear();
  }
}
