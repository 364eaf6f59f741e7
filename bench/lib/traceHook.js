/**
 * bench/engine-parallel.ts --trace: preloaded (NODE_OPTIONS=--require) into every Node process the `pulumi` CLI
 * starts — the program and the dynamic-provider host — it appends one JSON line per event to $BENCH_TRACE, with
 * wall-clock milliseconds (`Date.now()`-based, comparable across processes):
 * - { proc, ev: "start" } when the process starts (before @pulumi/pulumi loads);
 * - program: { ev: "register", name, t } for each resource registration the SDK sends to the engine;
 * - provider host: { ev: "rpc", name, t0, t1 } per gRPC call the host serves (its whole handler: decoding the
 *   request, finding the cached provider, our method, encoding the reply), and { ev: "impl", name, t0, t1 } per
 *   call of our provider implementation (ours alone).
 * Plain JavaScript so that it loads without ts-node in any process; it changes no behaviour.
 */
"use strict";
const { appendFileSync } = require("node:fs");
const Module = require("node:module");

const file = process.env.BENCH_TRACE;
const proc = process.argv.some((a) => a.includes("dynamic-provider")) ? "provider" : "program";
const now = () => performance.timeOrigin + performance.now();
const put = (o) => appendFileSync(file, `${JSON.stringify({ proc, pid: process.pid, ...o })}\n`);

if (file) {
  put({ ev: "start", t: now() });
  const timed = (ev, name, fn, self) =>
    function (...args) {
      const t0 = now();
      const done = () => put({ ev, name, t0, t1: now() });
      const r = fn.apply(self ?? this, args);
      if (r && typeof r.then === "function") r.then(done, done);
      else done();
      return r;
    };
  const load = Module._load;
  const wrapped = new WeakSet();
  Module._load = function (request, ...rest) {
    const m = load.call(this, request, ...rest);
    if (request === "@grpc/grpc-js" && proc === "provider" && !wrapped.has(m.Server.prototype)) {
      wrapped.add(m.Server.prototype);
      const add = m.Server.prototype.addService;
      m.Server.prototype.addService = function (service, impl) {
        const timedImpl = Object.create(impl);
        for (const name of Object.keys(service)) {
          const fn = impl[name] ?? impl[service[name].originalName];
          if (typeof fn !== "function") continue;
          timedImpl[name] = function (call, callback) {
            const t0 = now();
            return fn.call(impl, call, (...r) => {
              put({ ev: "rpc", name, t0, t1: now() });
              callback(...r);
            });
          };
        }
        return add.call(this, service, timedImpl);
      };
    }
    if (request.endsWith("/provider/impl") && !wrapped.has(m)) {
      wrapped.add(m);
      for (const getter of ["provider", "copiesReadyProvider"]) {
        const get = m[getter];
        let p;
        m[getter] = () => {
          if (!p) {
            const real = get();
            p = Object.create(real);
            for (const name of ["configure", "check", "diff", "create", "read", "update", "delete"])
              p[name] = timed("impl", `${getter}.${name}`, real[name], real);
          }
          return p;
        };
      }
    }
    if (request.endsWith("runtime/resource") && proc === "program" && !wrapped.has(m)) {
      wrapped.add(m);
      const reg = m.registerResource;
      m.registerResource = function (res, parent, t, name, ...rest) {
        put({ ev: "register", name, t: now() });
        return reg.call(this, res, parent, t, name, ...rest);
      };
    }
    return m;
  };
}
