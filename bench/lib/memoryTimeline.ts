/**
 * Bench-only memory timeline of a process on a virtual clock: where along virtual time its RSS peaks, and what
 * makes the peak (V8 heap in use vs committed, new space vs old space, memory outside the V8 heap). Opt-in
 * (bench/waiting-ours.ts starts it under BENCH_MEMLINE=<real ms between samples>); nothing in the provider.
 *
 * Samples on a REAL-time interval, not a virtual one: virtual time stands still while calls are in flight, and
 * that is when the transient peaks happen. Each sample is stamped with the virtual time and a few gauges of the
 * provider (copies watched, calls in flight). The timer is unref'd so it never keeps the process alive.
 */
import { getHeapSpaceStatistics } from "node:v8";
import type { VirtualClock } from "../../simulator/clock";

/** One sample. Memory in MB. */
export interface MemorySample {
  /** Virtual minutes since the run's start. */
  tMin: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** V8's new (young) space, committed, and old space in use. */
  newSpace: number;
  oldUsed: number;
  external: number;
  arrayBuffers: number;
  gauges: Record<string, number>;
}

const MB = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

/** Starts sampling; `print()` writes the peak sample and a per-virtual-minute timeline to stderr. */
export function memoryTimeline(
  clock: VirtualClock,
  start: number,
  gauges: () => Record<string, number>,
  everyMs = Number(process.env.BENCH_MEMLINE) || 20,
): { print: () => void; peak: () => MemorySample | undefined } {
  /** Per virtual minute: the sample with the highest RSS. */
  const byMinute = new Map<number, MemorySample>();
  let peak: MemorySample | undefined;
  const sample = (): void => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s]));
    const s: MemorySample = {
      tMin: Math.floor((clock.now() - start) / 60_000),
      rss: MB(m.rss),
      heapUsed: MB(m.heapUsed),
      heapTotal: MB(m.heapTotal),
      newSpace: MB(spaces.new_space?.space_size ?? 0),
      oldUsed: MB(spaces.old_space?.space_used_size ?? 0),
      external: MB(m.external),
      arrayBuffers: MB(m.arrayBuffers),
      gauges: gauges(),
    };
    const prev = byMinute.get(s.tMin);
    if (!prev || s.rss > prev.rss) byMinute.set(s.tMin, s);
    if (!peak || s.rss > peak.rss) peak = s;
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  const line = (s: MemorySample): string =>
    `t+${s.tMin} min rss ${s.rss} heap ${s.heapUsed}/${s.heapTotal} (new ${s.newSpace}, old used ${s.oldUsed}) ` +
    `ext ${s.external} ab ${s.arrayBuffers} ` +
    Object.entries(s.gauges)
      .map(([k, v]) => `${k} ${v}`)
      .join(" ");
  return {
    peak: () => peak,
    print: () => {
      clearInterval(timer);
      sample();
      // Minutes whose peak RSS differs by ≥ 2 MB from the last printed one: the shape without 1000 lines.
      let last = -Infinity;
      for (const s of [...byMinute.values()].sort((a, b) => a.tMin - b.tMin))
        if (Math.abs(s.rss - last) >= 2) {
          console.error(`memline ${line(s)}`);
          last = s.rss;
        }
      if (peak) console.error(`memline PEAK ${line(peak)}`);
    },
  };
}
