/** Small statistics helpers for the benchmarks. */

/** Nearest-rank percentile (p in 0..100) of `xs`; undefined when empty. */
export function percentile(xs: number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The most calls in any window of `windowMs` (start inclusive, end exclusive). `samples` are [time, calls]. */
export function peakInWindow(samples: [number, number][], windowMs = 60_000): number {
  const s = [...samples].sort((a, b) => a[0] - b[0]);
  let best = 0;
  let sum = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    // Window [s[i].t, s[i].t + windowMs): the busiest window starts at some sample.
    while (j < s.length && s[j][0] < s[i][0] + windowMs) sum += s[j++][1];
    best = Math.max(best, sum);
    sum -= s[i][1];
  }
  return best;
}

/** Exponent b of f ∝ N^b between two points (how a figure grows with N); undefined if not computable. */
export function growthExponent(n1: number, f1: number | undefined, n2: number, f2: number | undefined) {
  if (f1 === undefined || f2 === undefined || f1 <= 0 || f2 <= 0) return undefined;
  return Math.log(f2 / f1) / Math.log(n2 / n1);
}

/** Rounds for display and JSON. */
export const round = (x: number | undefined, digits = 1): number | undefined =>
  x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits;
