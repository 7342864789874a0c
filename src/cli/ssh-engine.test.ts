import { beforeAll, describe, expect, it } from "vitest";
import { parseDoctorArgs } from "./commands/doctor.js";
import { commandLineProblem } from "./fix-commands.js";
import { commands } from "./registry.js";
import { openSshTarget, parseSshUri } from "../lab/ssh/ssh-engine.js";

describe("doctor --host ssh://… (wiring; no ssh server is reachable from these tests)", () => {
  // The doctor command loads on first use (registry.ts): here, not inside a test's 5 s.
  beforeAll(() => commands.find((c) => c.name === "doctor")!.load(), 120_000);

  it("parses ssh addresses and refuses others", () => {
    expect(parseSshUri("ssh://root@203.0.113.5")).toEqual({ host: "203.0.113.5", user: "root", port: undefined });
    expect(parseSshUri("ssh://ops@build-1:2222")).toEqual({ host: "build-1", user: "ops", port: 2222 });
    expect(parseSshUri("ssh://[2001:db8::5]")).toMatchObject({ host: "2001:db8::5" });
    expect(() => parseSshUri("tcp://203.0.113.5:2375")).toThrow(/not an ssh:\/\/ address/);
  });

  it("--host and DOCKER_HOST=ssh://… select the remote; a tcp DOCKER_HOST does not", () => {
    expect(parseDoctorArgs(["--host", "ssh://root@203.0.113.5"], {}).sshHost).toBe("ssh://root@203.0.113.5");
    expect(parseDoctorArgs(["--host=ssh://root@203.0.113.5", "--json"], {}).sshHost).toBe("ssh://root@203.0.113.5");
    expect(parseDoctorArgs([], { DOCKER_HOST: "ssh://ops@build-1" }).sshHost).toBe("ssh://ops@build-1");
    expect(parseDoctorArgs([], { DOCKER_HOST: "tcp://203.0.113.5:2375" }).sshHost).toBeUndefined();
    expect(() => parseDoctorArgs(["--host"], {})).toThrow(/--host needs/);
  });

  it("the command lines parse with the real CLI", async () => {
    expect(await commandLineProblem("netcheck doctor --host ssh://root@203.0.113.5 --json")).toBeUndefined();
    expect(await commandLineProblem("netcheck doctor --host http://203.0.113.5")).toMatch(/not an ssh/);
  });

  it("an ssh target that refuses says so, with the next step (loopback port 1: nothing listens)", async () => {
    await expect(openSshTarget("ssh://nobody@127.0.0.1:1", AbortSignal.timeout(30_000))).rejects.toThrow(/Cannot run commands on ssh:\/\/nobody@127\.0\.0\.1:1 over ssh/);
  });
});
