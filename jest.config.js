/**
 * Two jest projects, so `npx jest` runs every layer:
 * - "unit, simulator, provider": tests/{unit,simulator,provider}/, in parallel workers.
 * - "engine": tests/engine/, the real `pulumi` CLI against the simulator. Its globalSetup builds dist/ and
 *   makes the CLI available (failing loudly when it cannot); its runner is serial, so engine files run one
 *   at a time after the fast layers; its timeouts are long because each step is a real `pulumi` run.
 * Run one layer with `npx jest --selectProjects engine` (or a path).
 */
const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleFileExtensions: ["ts", "js", "json"],
};

/** @type {import('jest').Config} */
module.exports = {
  // testTimeout is a global option: inside `projects` jest ignores it (measured: the 5 s default applied).
  // Engine tests get their longer timeout from tests/engine/timeout.ts.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: "unit, simulator, provider",
      testMatch: ["<rootDir>/tests/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/engine/"],
      testTimeout: 60_000,
    },
    {
      ...shared,
      displayName: "engine",
      testMatch: ["<rootDir>/tests/engine/**/*.test.ts"],
      runner: "<rootDir>/tests/engine/serialRunner.js",
      globalSetup: "<rootDir>/tests/engine/globalSetup.ts",
      setupFilesAfterEnv: ["<rootDir>/tests/engine/timeout.ts"],
    },
  ],
};
