import { describe, expect, it, vi } from "vitest";
import { LocalHost } from "./local-host.js";

const host = new LocalHost();

describe("LocalHost.exec", () => {
  it("keeps exit code, stdout and stderr whole, with LC_ALL=C", async () => {
    const r = await host.exec(["sh", "-c", 'printf "a\\n"; echo "$LC_ALL" >&2; exit 3']);
    expect([r.exitCode, r.stdout, r.stderr, r.timedOut]).toEqual([3, "a\n", "C\n", false]);
  });

  it("a command that does not exist is 127 with its name", async () => {
    const r = await host.exec(["netcheck-no-such-command"]);
    expect([r.exitCode, r.stderr]).toEqual([127, "netcheck-no-such-command: command not found"]);
  });

  it("writes input and closes stdin; without input stdin stays open until the timeout", async () => {
    expect((await host.exec(["cat"], { input: "hello" })).stdout).toBe("hello");
    const r = await host.exec(["cat"], { timeoutMs: 300 });
    expect([r.timedOut, r.exitCode]).toEqual([true, 1]);
  });

  it("one abort ends every command sharing the signal, without a listener-leak warning; an aborted signal starts nothing", async () => {
    const warn = vi.spyOn(process, "emitWarning");
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("stop")), 200);
    const rs = await Promise.all(Array.from({ length: 15 }, () => host.exec(["sleep", "30"], { signal: ac.signal })));
    expect(rs.map((r) => r.exitCode)).toEqual(Array(15).fill(1));
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("MaxListeners"))).toEqual([]);
    warn.mockRestore();
    const late = await host.exec(["sh", "-c", "echo ran"], { signal: ac.signal });
    expect([late.exitCode, late.stdout]).toEqual([1, ""]);
    expect(late.stderr).toMatch(/not started: Error: stop/);
  });
});
