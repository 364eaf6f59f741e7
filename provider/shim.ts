/**
 * The provider object Pulumi serializes into state (`__provider`) — a thin shim.
 *
 * `dynamic.Resource` serializes its provider with `runtime.serializeFunction(() => provider)`, and the
 * dynamic-provider host revives it with `requireFromString(text).handler()` (@pulumi/pulumi 3.248
 * dynamic/index.js, cmd/dynamic-provider/index.js). Anything the provider object references is serialized
 * with it, so this object references nothing but a loader: no credentials, no config, no local modules.
 * Each method loads the implementation by package name and delegates to its process-wide singleton.
 *
 * Resolution: the host evaluates the text as a module with no file name, from the stack's directory (its
 * working directory). A plain `require` finds the package in the stack's node_modules (installed from npm).
 * When the stack IS this repository, only package self-reference (package.json `exports`) finds it, and
 * Node only self-resolves for a module that has a file name — hence the `createRequire` fallback anchored
 * in the working directory.
 */
import type * as pulumi from "@pulumi/pulumi";

/* eslint-disable @typescript-eslint/no-explicit-any */
function loadImpl(which: "provider" | "copiesReadyProvider" = "provider"): any {
  const name = "pulumi-alicloud-snapshot-copy/provider/impl";
  try {
    return require(name)[which]();
  } catch (err) {
    if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
    const anchor = require("path").join(process.cwd(), "__snapshot_copy_provider__.js");
    return require("module").createRequire(anchor)(name)[which]();
  }
}

/** The serialized provider. Its methods delegate to `provider()` in ./lifecycle. */
export const snapshotCopyProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadImpl().configure(req),
  check: (olds, news) => loadImpl().check(olds, news),
  diff: (id, olds, news) => loadImpl().diff(id, olds, news),
  create: (inputs) => loadImpl().create(inputs),
  read: (id, props) => loadImpl().read(id, props),
  update: (id, olds, news) => loadImpl().update(id, olds, news),
  delete: (id, props) => loadImpl().delete(id, props),
};

/** The serialized SnapshotCopiesReady provider. Its methods delegate to `copiesReadyProvider()` in ./lifecycle. */
export const copiesReadyProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadImpl("copiesReadyProvider").configure(req),
  check: (olds, news) => loadImpl("copiesReadyProvider").check(olds, news),
  diff: (id, olds, news) => loadImpl("copiesReadyProvider").diff(id, olds, news),
  create: (inputs) => loadImpl("copiesReadyProvider").create(inputs),
  read: (id, props) => loadImpl("copiesReadyProvider").read(id, props),
  update: (id, olds, news) => loadImpl("copiesReadyProvider").update(id, olds, news),
  delete: (id, props) => loadImpl("copiesReadyProvider").delete(id, props),
};
