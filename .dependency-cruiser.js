/**
 * Import rules of the repository, checked by `npm run lint` (so by the lint stage of scripts/test.sh):
 * `depcruise provider simulator tests bench examples`. Each provider/ folder's README.md says what the folder
 * owns and what it may import; these rules are the part of that a machine can check. docs/design.md §3 gives
 * the reasons.
 *
 * @type {import("dependency-cruiser").IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment:
        "No import cycle in provider/ or simulator/: every module can be read, tested and loaded after the modules it imports.",
      from: { path: "^(provider|simulator)/" },
      to: { circular: true },
    },
    {
      name: "rules-import-only-rules",
      severity: "error",
      comment:
        "provider/rules is pure (no I/O, no clock, no SDK): it imports only provider/rules, node:crypto (hashing the ClientToken) and, for types only, @pulumi/pulumi.",
      from: { path: "^provider/rules/" },
      to: {
        pathNot: ["^provider/rules/", "^(node:)?crypto$", "^node_modules/@pulumi/pulumi/"],
      },
    },
    {
      name: "rules-use-pulumi-types-only",
      severity: "error",
      comment: "provider/rules may name @pulumi/pulumi's types, never load it (`import type` only).",
      from: { path: "^provider/rules/" },
      to: { path: "^node_modules/@pulumi/pulumi/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "lifecycle-only-through-its-entry",
      severity: "error",
      comment:
        "provider/lifecycle is the implementation the provider text in each resource's state loads by package name (pulumi-alicloud-snapshot-copy/provider/impl). Nothing in provider/ or simulator/ imports it statically; only tests and benchmarks drive it directly.",
      from: { pathNot: ["^provider/lifecycle/", "^tests/", "^bench/"] },
      to: { path: "^provider/lifecycle/" },
    },
    ...[
      ["cloud", "waiting|copying|lifecycle"],
      ["waiting", "copying|lifecycle"],
      ["copying", "lifecycle"],
    ].map(([layer, above]) => ({
      name: `${layer}-imports-no-layer-above`,
      severity: "error",
      comment:
        "provider/ layers import downwards only: lifecycle -> copying -> waiting -> cloud -> rules (each folder's README.md), and none imports the user-facing files.",
      from: { path: `^provider/${layer}/` },
      to: { path: [`^provider/(${above})/`, "^provider/[^/]+\\.ts$"] },
    })),
    {
      name: "provider-not-simulator",
      severity: "error",
      comment:
        "The published provider never depends on the simulator: it talks to whatever endpoint it is given.",
      from: { path: "^provider/" },
      to: { path: "^simulator/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|\\.tools|coverage)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["main", "types", "typings"],
    },
  },
};
