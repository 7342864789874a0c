import { describe, expect, it } from "vitest";
import { unloadCommand } from "./loaded-images.js";

describe("unloadCommand", () => {
  it("removes an image the host did not have", () => {
    expect(unloadCommand({ tag: "netcheck/probe:0.1.0", id: "sha256:new" })).toEqual(["docker", "image", "rm", "netcheck/probe:0.1.0"]);
  });
  it("gives the tag back to the image it named before, then removes ours (never leaves theirs untagged)", () => {
    expect(unloadCommand({ tag: "netcheck/probe:0.1.0", id: "sha256:new", previous: "sha256:old" })).toEqual(["sh", "-c", "docker tag sha256:old netcheck/probe:0.1.0 && docker image rm sha256:new"]);
  });
});
