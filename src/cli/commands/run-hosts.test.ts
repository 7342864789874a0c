import { describe, expect, it } from "vitest";
import run from "./run.js";
import clean from "./clean.js";
import { sshUris } from "../../lab/ssh/ssh-engine.js";

describe("run --hosts / clean --hosts (arguments only; nothing is reached)", () => {
  it("takes ssh:// hosts comma-separated or repeated, in order", () => {
    expect(sshUris(["ssh://root@h1, ssh://root@h2", "ssh://ops@h3:2222"])).toEqual(["ssh://root@h1", "ssh://root@h2", "ssh://ops@h3:2222"]);
    expect(sshUris(undefined)).toEqual([]);
  });
  it("accepts ssh hosts and refuses anything else, a host named twice, and --lab vm beside them", async () => {
    await expect(run.check!(["overlay", "--hosts", "ssh://root@h1,ssh://root@h2"])).resolves.toBeUndefined();
    await expect(run.check!(["overlay", "--hosts", "tcp://h1:2375"])).rejects.toMatchObject({ code: "NETCHECK_USAGE", message: expect.stringMatching(/not an ssh:\/\/ address/) });
    await expect(run.check!(["overlay", "--hosts", "ssh://root@h1,ssh://root@h1"])).rejects.toThrow(/names a host twice/);
    await expect(run.check!(["overlay", "--hosts", "ssh://root@h1", "--lab", "vm"])).rejects.toThrow(/--hosts and --lab vm are exclusive/);
    await expect(clean.check!(["--hosts", "root@h1"])).rejects.toThrow(/not an ssh:\/\/ address/);
  });
});
