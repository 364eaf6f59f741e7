/**
 * Jest globalSetup of the engine project: builds dist/ (the program and the serialized provider load the
 * package by name, which resolves to dist/), makes the Pulumi CLI available with scripts/install-pulumi.sh
 * (or takes the one in ENGINE_TESTS_PULUMI_BIN, see ensurePulumi), and exports the offline Pulumi environment to this process (the engine runner is serial, so the tests run
 * in this process and inherit it).
 *
 * Without a working `pulumi` the setup throws, and every engine test fails: never a silent skip.
 */
import { version as sdkVersion } from "@pulumi/pulumi/version";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

/** The newest modification time under `dir` (files ending in `ext`), 0 when there are none. */
function newest(dir: string, ext: string): number {
  if (!fs.existsSync(dir)) return 0;
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(ext)) {
      t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
    }
  }
  return t;
}

/** tsc -p tsconfig.build.json, unless dist/ is newer than every source file (scripts/test.sh built it already). */
function ensureBuild(): void {
  const src = Math.max(
    newest(path.join(REPO_ROOT, "provider"), ".ts"),
    newest(path.join(REPO_ROOT, "simulator"), ".ts"),
  );
  const built = fs.existsSync(path.join(REPO_ROOT, "dist/provider/lifecycle/index.js"))
    ? Math.min(
        newest(path.join(REPO_ROOT, "dist/provider"), ".js"),
        newest(path.join(REPO_ROOT, "dist/simulator"), ".js"),
      )
    : 0;
  if (built > src) return;
  execFileSync(path.join(REPO_ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/**
 * The directory holding `pulumi`: ENGINE_TESTS_PULUMI_BIN when set (scripts/test.sh's Node.js 22 run sets it
 * to the newer CLI, built by `scripts/install-pulumi.sh cli-next`), else the last stdout line of
 * scripts/install-pulumi.sh (which builds the CLI from Go modules the first time).
 */
function ensurePulumi(): string {
  const given = process.env.ENGINE_TESTS_PULUMI_BIN;
  if (given) {
    if (!fs.existsSync(path.join(given, "pulumi"))) {
      throw new Error(`engine tests: ENGINE_TESTS_PULUMI_BIN="${given}" holds no pulumi binary`);
    }
    return given;
  }
  let out: string;
  try {
    out = execFileSync("bash", [path.join(REPO_ROOT, "scripts/install-pulumi.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 60 * 60_000,
    });
  } catch (e) {
    throw new Error(
      `engine tests: scripts/install-pulumi.sh could not make the Pulumi CLI available (${String(e)}). ` +
        `The engine tests need it; they fail rather than skip.`,
    );
  }
  const bin = out.trim().split("\n").pop() ?? "";
  if (!bin || !fs.existsSync(path.join(bin, "pulumi"))) {
    throw new Error(`engine tests: scripts/install-pulumi.sh printed "${bin}", which holds no pulumi binary`);
  }
  return bin;
}

export default function globalSetup(): void {
  ensureBuild();
  const bin = ensurePulumi();
  // The same environment as scripts/setup.sh's ensure_pulumi: offline, nothing outside the repository.
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ""}`;
  process.env.PULUMI_HOME ??= path.join(REPO_ROOT, ".tools/pulumi-home");
  process.env.PULUMI_SKIP_UPDATE_CHECK = "true";
  process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
  process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
  fs.mkdirSync(process.env.PULUMI_HOME, { recursive: true });
  const version = execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  process.stderr.write(
    `engine tests: pulumi ${version} from ${bin}, Node.js ${process.version}, @pulumi/pulumi ${sdkVersion}\n`,
  );
}
