import { describe, expect, it } from "vitest";
import { parseDaemonSettings, settingOff } from "./daemon.js";

describe("parseDaemonSettings", () => {
  it("reads flags before daemon.json, and only the settings that change a flow", () => {
    const d = parseDaemonSettings("dockerd --cgroup-parent=/x --iptables=false --pidfile=/run/docker.pid", '{"userland-proxy": false, "iptables": true}');
    expect(d).toMatchObject({ iptables: false, userlandProxy: false });
    expect(d.ipForward).toBeUndefined();
    expect(settingOff(d, "iptables")).toBe('the daemon runs with "iptables": false (dockerd --iptables=false)');
    expect(settingOff(d, "userlandProxy")).toContain('daemon.json "userland-proxy": false');
    expect(settingOff(d, "icc")).toBeUndefined();
  });
  it("a bad daemon.json is ignored, a bare flag is true", () => {
    expect(parseDaemonSettings("dockerd --icc", "{")).toMatchObject({ icc: true });
  });
});
