/**
 * Packaging: `npm pack` the library, install the tarball into a fresh Pulumi project outside the
 * repository, and run `up` and `destroy` there against the simulator. The serialized provider requires its
 * implementation by package name from the stack's directory; outside the repository only the installed
 * tarball can answer, so a passing run proves the published package works as users install it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import type { Simulator } from "../../simulator";
import {
  EngineStack,
  simCopies,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  steps,
  type TestCredentials,
} from "./harness";
import { REPO_ROOT } from "./paths";

/**
 * The @pulumi/pulumi these tests run with, so the user's project gets the same one: the repository's 3.248.0
 * (the last that runs on Node.js 20), or the newer one of scripts/test.sh's Node.js 22 run.
 */
const PULUMI_SDK = `@pulumi/pulumi@${sdkVersion}`;

/** A user's program, in plain JavaScript so the project needs no TypeScript toolchain. */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { SnapshotCopy } = require("pulumi-alicloud-snapshot-copy");

const copy = new SnapshotCopy("packaged", {
  sourceSnapshotId: "s-sim0003",
  destinationRegionId: "eu-central-1",
  tags: { installedFrom: "npm-pack" },
  pollMinSeconds: 1,
  pollMaxSeconds: 2,
});
exports.snapshotId = copy.snapshotId;
exports.status = copy.status;
`;

const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 8 * 60_000 });

describe("GIVEN the library packed with npm pack and installed into a fresh project outside the repository", () => {
  let projectDir: string;
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack | undefined;

  beforeAll(async () => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-copy-packaging-"));
    const tarball = path.join(
      projectDir,
      run("npm", ["pack", "--silent", "--pack-destination", projectDir], REPO_ROOT).trim().split("\n").pop()!,
    );
    fs.writeFileSync(
      path.join(projectDir, "package.json"),
      JSON.stringify(
        { name: "snapshot-copy-packaging-test", version: "1.0.0", private: true, main: "index.js" },
        null,
        2,
      ),
    );
    fs.writeFileSync(
      path.join(projectDir, "Pulumi.yaml"),
      "name: snapshot-copy-packaging-test\nruntime: nodejs\n",
    );
    fs.writeFileSync(path.join(projectDir, "index.js"), PROGRAM);
    // --prefer-offline: the npm cache already holds what the repository installed; the registry fills gaps.
    run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, PULUMI_SDK],
      projectDir,
    );
    ({ sim, creds } = await startEngineSimulator());
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
    if (projectDir) fs.rmSync(projectDir, { recursive: true, force: true });
  });

  test("the package and its provider implementation resolve from the project's own node_modules", () => {
    const resolved = run(
      "node",
      ["-p", 'require.resolve("pulumi-alicloud-snapshot-copy/provider/impl")'],
      projectDir,
    ).trim();
    expect(fs.realpathSync(resolved)).toBe(
      fs.realpathSync(
        path.join(projectDir, "node_modules/pulumi-alicloud-snapshot-copy/dist/provider/lifecycle/index.js"),
      ),
    );
    expect(path.relative(REPO_ROOT, fs.realpathSync(resolved)).startsWith("..")).toBe(true);
  });

  test("up copies the snapshot and destroy deletes the copy", async () => {
    stack = await EngineStack.create(sim, creds, [], { workDir: projectDir });

    const up = await stack.up();
    expect(up.result.summary.result).toBe("succeeded");
    expect(steps(up.events)).toEqual([
      expect.objectContaining({ op: "create", type: SNAPSHOT_COPY_TYPE, name: "packaged" }),
    ]);
    const [copy] = simCopies(sim, "eu-central-1");
    expect(up.result.outputs.snapshotId.value).toBe(copy.SnapshotId);
    expect(copy).toMatchObject({ SourceSnapshotId: "s-sim0003", Status: "accomplished" });
    expect(copy.Tags.Tag).toContainEqual({ TagKey: "installedFrom", TagValue: "npm-pack" });

    const destroy = await stack.destroy();
    expect(destroy.result.summary.resourceChanges).toMatchObject({ delete: 2 });
    expect(simCopies(sim)).toEqual([]);
  });
});
