import { describe, expect, it } from "vitest";
import { judgeRoutingMesh } from "./routing-mesh.js";

const replicas = ["web.1.abc", "web.2.def"];

describe("judgeRoutingMesh", () => {
  it("passes when every node answers and spreads over every replica", () => {
    const v = judgeRoutingMesh(
      [
        { node: "h1", address: "10.0.0.2", answeredBy: ["web.1.abc", "web.2.def", "web.1.abc", "web.2.def"] },
        { node: "h2", address: "10.0.0.3", answeredBy: ["web.2.def", "web.1.abc", "web.2.def", "web.1.abc"] },
      ],
      replicas,
    );
    expect(v.status).toBe("pass");
    expect(v.reason).toMatch(/h1 10\.0\.0\.2: web\.1\.abc×2 web\.2\.def×2/);
  });
  it("a node that does not answer fails (no mesh on it)", () => {
    const v = judgeRoutingMesh([{ node: "h1", address: "10.0.0.2", answeredBy: ["web.1.abc", "web.2.def"] }, { node: "h2", address: "10.0.0.3", answeredBy: [undefined, undefined] }], replicas);
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/h2 \(10\.0\.0\.3\): 2\/2 requests unanswered/);
  });
  it("always the same replica is no spread (wrong expectation: a replica that does not exist)", () => {
    const v = judgeRoutingMesh([{ node: "h1", address: "10.0.0.2", answeredBy: ["web.1.abc", "web.1.abc", "web.1.abc"] }], replicas);
    expect(v.reason).toMatch(/web\.2\.def never answered in 3 requests/);
  });
  it("an answer from something that is not a replica fails", () => {
    const v = judgeRoutingMesh([{ node: "h1", address: "10.0.0.2", answeredBy: ["web.1.abc", "web.2.def", "a"] }], replicas);
    expect(v.reason).toMatch(/answered by a, not a replica/);
  });
  it("one running replica answering every request is no spread (the other never started)", () => {
    const v = judgeRoutingMesh([{ node: "h1", address: "10.0.0.2", answeredBy: ["web.1.abc", "web.1.abc"] }, { node: "h2", address: "10.0.0.3", answeredBy: ["web.1.abc", "web.1.abc"] }], ["web.1.abc"]);
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/only 1 running replica/);
  });
  it("no replicas at all fails", () => {
    expect(judgeRoutingMesh([], []).status).toBe("fail");
  });
});
