import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";
import type Docker from "dockerode";

/**
 * dockerode, without loading what netcheck never uses at start-up: its
 * BuildKit session (@grpc/grpc-js + protobufjs) and docker-modem's ssh://
 * transport (ssh2). Those two are required at the top of dockerode and
 * docker-modem and were ~40% of the CLI's module-load CPU (issue 12: a small
 * run's process time). Each is replaced in the require cache by a function
 * that loads the real module on its first call, so a BuildKit session or an
 * ssh:// DOCKER_HOST still works, at that moment's cost.
 */
const require = createRequire(import.meta.url);
const dockerodeMain = require.resolve("dockerode");
const modemMain = createRequire(dockerodeMain).resolve("docker-modem");

function loadOnFirstCall(path: string): void {
  if (require.cache[path]) return;
  const stub = new Module(path) as Module & { filename: string; loaded: boolean; paths: string[] };
  stub.filename = path;
  stub.loaded = true;
  let real: ((...args: unknown[]) => unknown) | undefined;
  stub.exports = function (this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      delete require.cache[path];
      real = require(path) as (...a: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  require.cache[path] = stub;
}

loadOnFirstCall(join(dirname(dockerodeMain), "session.js"));
loadOnFirstCall(join(dirname(modemMain), "ssh.js"));

/** The dockerode constructor. */
export const DockerClient = require("dockerode") as typeof Docker;
