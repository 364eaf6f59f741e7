/**
 * The provider text every resource keeps in its state (`__provider`, provider/providerText.ts) is what the
 * dynamic-provider host revives with `requireFromString(text).handler()` (@pulumi/pulumi 3.248
 * cmd/dynamic-provider/index.js): a constant of the package (so never a credential; the engine test
 * tests/engine/lifecycle.test.ts checks the whole state for secrets), small, and every method it gives delegates
 * to the implementation's singleton, loaded by package name.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  COPIES_READY_PROVIDER_TEXT,
  IMPL_MODULE,
  SNAPSHOT_COPY_PROVIDER_TEXT,
} from "../../provider/providerText";

const requireFromString = require("require-from-string") as (
  code: string,
  filename?: string,
) => { handler: () => Record<string, (...args: unknown[]) => unknown> };

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

test("GIVEN the two provider texts THEN each is under 1.2 KB, names the implementation by package name, and holds no local path or module", () => {
  for (const text of [SNAPSHOT_COPY_PROVIDER_TEXT, COPIES_READY_PROVIDER_TEXT]) {
    expect(Buffer.byteLength(text)).toBeLessThan(1200);
    expect(text).toContain(JSON.stringify(IMPL_MODULE));
    expect(text).not.toMatch(/\/work\/|\.ts\b|outbound|statusWatcher|credentials/);
  }
});

describe("GIVEN a stack directory where the package is installed (a stub implementation recording its calls)", () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-text-"));
    const pkg = path.join(dir, "node_modules", "pulumi-alicloud-snapshot-copy");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(
      path.join(pkg, "package.json"),
      JSON.stringify({ name: "pulumi-alicloud-snapshot-copy", exports: { "./provider/impl": "./impl.js" } }),
    );
    // Each method of the stub answers with what it was called as: [singleton, method, ...arguments].
    const stub = (which: string) =>
      `${which}: () => new Proxy({}, { get: (_, m) => (...args) => ["${which}", m, ...args] })`;
    fs.writeFileSync(
      path.join(pkg, "impl.js"),
      `module.exports = { ${stub("provider")}, ${stub("copiesReadyProvider")} };`,
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    { resource: "SnapshotCopy", text: SNAPSHOT_COPY_PROVIDER_TEXT, which: "provider" },
    { resource: "SnapshotCopiesReady", text: COPIES_READY_PROVIDER_TEXT, which: "copiesReadyProvider" },
  ])(
    "WHEN the host revives the $resource text THEN handler() gives every method, each delegating to $which() with its arguments",
    ({ text, which }) => {
      const revived = requireFromString(text, path.join(dir, "__host__.js")).handler();

      expect(Object.keys(revived).sort()).toEqual([...METHODS].sort());
      for (const m of METHODS) expect(revived[m]("a", { b: 1 })).toEqual([which, m, "a", { b: 1 }]);
    },
  );
});
