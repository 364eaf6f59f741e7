/**
 * The provider text every resource keeps in its state (`__provider`): written here, not serialized.
 *
 * The dynamic-provider host revives the text with `requireFromString(text).handler()` and calls the methods of
 * the object `handler()` returns (@pulumi/pulumi 3.248 cmd/dynamic-provider/index.js, `getProvider`: one object
 * per distinct text, configured once). `pulumi.dynamic.Resource` would make such a text by serializing a provider
 * object with @pulumi/pulumi's closure serializer (dynamic/index.js, `serializeFunction`). We write it instead,
 * for two measured costs of the serializer: it takes the program 0.7–1.1 s (it loads its parser and walks each
 * closure through the inspector) before the first copy can be registered, and its text for a 7-method object is
 * 2.7 KB, kept twice per resource (inputs and outputs) and rewritten with the whole state at every checkpoint
 * (bench/README.md, "Engine parallelism"). This text is 0.7 KB.
 *
 * What it does is what the serialized shim of earlier versions did (tests/engine/fixtures holds one such text;
 * states that hold it keep working, tests/engine/upgrade.test.ts): reference nothing but a loader, so the state
 * holds no credentials, no config and no module graph, and each method loads the implementation by package
 * name and delegates to its process-wide singleton (./lifecycle/index.ts).
 *
 * Resolution: the host evaluates the text as a module with no file name, from the stack's directory (its
 * working directory). A plain `require` finds the package in the stack's node_modules (installed from npm).
 * When the stack IS this repository, only package self-reference (package.json `exports`) finds it, and Node
 * only self-resolves for a module that has a file name — hence the `createRequire` fallback anchored in the
 * working directory.
 */

/** The package entry the text loads; in every stack's state, so it never changes. */
export const IMPL_MODULE = "pulumi-alicloud-snapshot-copy/provider/impl";

/** The methods the host calls (`configure` once, before the first of the others). */
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/** The text for the singleton `which` of {@link IMPL_MODULE}. Plain ES5 inside: it runs in whatever Node the host has. */
function providerText(which: "provider" | "copiesReadyProvider"): string {
  return `exports.handler = function () {
  var name = ${JSON.stringify(IMPL_MODULE)};
  function impl() {
    try {
      return require(name).${which}();
    } catch (err) {
      if (!err || err.code !== "MODULE_NOT_FOUND") throw err;
      var anchor = require("path").join(process.cwd(), "__snapshot_copy_provider__.js");
      return require("module").createRequire(anchor)(name).${which}();
    }
  }
  var provider = {};
  ${JSON.stringify(METHODS)}.forEach(function (method) {
    provider[method] = function () {
      var target = impl();
      return target[method].apply(target, arguments);
    };
  });
  return provider;
};
`;
}

/** `__provider` of every SnapshotCopy: delegates to `provider()` of ./lifecycle. */
export const SNAPSHOT_COPY_PROVIDER_TEXT = providerText("provider");

/** `__provider` of every SnapshotCopiesReady: delegates to `copiesReadyProvider()` of ./lifecycle. */
export const COPIES_READY_PROVIDER_TEXT = providerText("copiesReadyProvider");
