import { describe, expect, it } from "vitest";
import { hostKeyError, hostKeyRefused } from "./known-hosts.js";

// What OpenSSH 9.2 prints for a changed key with StrictHostKeyChecking=accept-new (LogLevel=ERROR).
const changed = `@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Host key for 10.214.89.12 has changed and you have requested strict checking.
Host key verification failed.`;

describe("host key refusals", () => {
  it("a changed key is recognised; an unreachable host or a refused login is not (wrong twins)", () => {
    expect(hostKeyRefused(changed)).toBe(true);
    expect(hostKeyRefused("Host key verification failed.")).toBe(true);
    expect(hostKeyRefused("ssh: connect to host 10.0.0.9 port 22: Connection refused")).toBe(false);
    expect(hostKeyRefused("root@10.214.89.12: Permission denied (publickey).")).toBe(false);
  });
  it("the error names the file and the exact ssh-keygen line, with the port when it is not 22", () => {
    const e = hostKeyError("ssh://root@h1:2222", "h1", 2222, changed, "/tmp/kh");
    expect(e.code).toBe("NETCHECK_SSH_HOST_KEY");
    expect(e.message).toMatch(/ssh:\/\/root@h1:2222: its ssh host key is not the one netcheck recorded in \/tmp\/kh \(.*Host key verification failed\.\)/);
    expect(e.hint).toContain("ssh-keygen -f /tmp/kh -R '[h1]:2222'");
    expect(hostKeyError("ssh://h1", "h1", undefined, changed, "/tmp/kh").hint).toContain("-R 'h1'");
  });
});
