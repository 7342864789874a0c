import { describe, expect, it } from "vitest";
import { isAliveState } from "./background.js";

describe("isAliveState", () => {
  it("reads the state letter after the (possibly spaced) command name", () => {
    expect(isAliveState("4242 (tcpdump) S 1 4242 4242 0 -1 4194560")).toBe(true);
    expect(isAliveState("4242 (busybox httpd) R 1 4242")).toBe(true);
    expect(isAliveState("4242 (tcpdump) Z 1 4242 4242 0")).toBe(false);
    expect(isAliveState("")).toBe(false);
    expect(isAliveState("7 (weird name) (x) R 1")).toBe(true);
    expect(isAliveState("7 (a) Z) R 1")).toBe(true);
  });
});
