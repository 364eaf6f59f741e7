/**
 * Bench-only: where the objects that reach V8's old generation are allocated. V8's sampling heap profiler, told to
 * keep samples of objects a full GC collects but to drop those a young-generation GC collects, ends up with the
 * allocation sites of everything that outlived the young generation: retained objects, and the medium-lived
 * garbage that fills the old generation between full GCs (bench/README.md, "Memory"). Opt-in from
 * bench/waiting-ours.ts (BENCH_PROMOTED=1); nothing in the provider.
 */
import { Session } from "node:inspector";

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Starts sampling; `stop()` resolves to the top allocation sites (self bytes sampled), one line each. */
export function promotedProfile(intervalBytes = 64 * 1024): { stop: (top?: number) => Promise<string[]> } {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))),
    );
  // V8's JSON parser allocates straight into the old generation when the text is ≥ 100 × 1024 characters
  // (kPretenureTreshold, src/json/json-parser.h): count how many answers the SDK parses at or above it.
  const parse = JSON.parse;
  const texts = { all: 0, old: 0, maxChars: 0 };
  JSON.parse = (text: string, reviver?: Parameters<typeof JSON.parse>[1]): unknown => {
    texts.all++;
    if (text.length >= 100 * 1024) texts.old++;
    texts.maxChars = Math.max(texts.maxChars, text.length);
    return parse(text, reviver) as unknown;
  };
  const started = post("HeapProfiler.startSampling", {
    samplingInterval: intervalBytes,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return {
    stop: async (top = 25) => {
      await started;
      const { profile } = await post<{ profile: { head: ProfileNode } }>("HeapProfiler.stopSampling");
      session.disconnect();
      JSON.parse = parse;
      // Self bytes per site, with the nearest caller outside node_modules' generic helpers kept for context.
      const sites = new Map<string, number>();
      const walk = (n: ProfileNode, path: string[]): void => {
        const f = n.callFrame;
        const here = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*node_modules\//, "")}:${f.lineNumber + 1}`;
        const next = [...path, here];
        if (n.selfSize > 0) {
          const key = next.slice(-3).join(" < ");
          sites.set(key, (sites.get(key) ?? 0) + n.selfSize);
        }
        for (const c of n.children) walk(c, next);
      };
      walk(profile.head, []);
      const total = [...sites.values()].reduce((a, b) => a + b, 0);
      return [
        `promoted-or-retained allocations sampled: ${Math.round(total / 2 ** 20)} MB`,
        `JSON texts parsed: ${texts.all}, of them ≥ 100 KiB characters (parsed into the old generation): ${texts.old}, longest ${texts.maxChars}`,
        ...[...sites]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(
            ([k, v]) => `${(v / 2 ** 20).toFixed(1).padStart(7)} MB  ${k.split(" < ").reverse().join(" < ")}`,
          ),
      ];
    },
  };
}
