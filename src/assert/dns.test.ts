import { describe, expect, it } from "vitest";
import type { ExecResult } from "../host/host.js";
import { parseNslookup } from "../probes/dns.js";
import { judgeResolution } from "./dns.js";

const res = (stdout: string, exitCode: number, stderr = "", timedOut = false): ExecResult => ({ where: "t", command: [], exitCode, stdout, stderr, durationMs: 1, startedAt: "", timedOut });
const lookup = {
  answer: parseNslookup(res("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tb\nAddress: 10.213.7.3\n\n", 0)),
  nxdomain: parseNslookup(res("Server:\t\t198.18.4.1\nAddress:\t198.18.4.1:53\n\n** server can't find b: NXDOMAIN\n\n", 1)),
  timeout: parseNslookup(res(";; connection timed out; no servers could be reached\n\n", 1)),
  refused: parseNslookup(res("", 1, "nslookup: read: Connection refused\nnslookup: read: Connection refused\n")),
};

describe("doesNotResolve passes only on NXDOMAIN or an empty answer from the expected server", () => {
  it("classifies nslookup's outputs", () => {
    expect(lookup.answer.answer).toBe("answer");
    expect(lookup.nxdomain.answer).toBe("nxdomain");
    expect(lookup.timeout.answer).toBe("timeout");
    expect(lookup.refused.answer).toBe("unreachable");
  });
  it("NXDOMAIN from the configured resolver passes; from another server it is inconclusive", () => {
    expect(judgeResolution({ mustResolve: false, name: "b", from: "a", lookup: lookup.nxdomain, via: "198.18.4.1" }).status).toBe("pass");
    expect(judgeResolution({ mustResolve: false, name: "b", from: "a", lookup: lookup.nxdomain, via: "127.0.0.11" }).verdict).toBe("inconclusive");
  });
  it("a timeout or an unreachable server is never a pass", () => {
    for (const l of [lookup.timeout, lookup.refused]) {
      const v = judgeResolution({ mustResolve: false, name: "b", from: "a", lookup: l });
      expect(v.status).toBe("fail");
      expect(v.verdict).toBe("inconclusive");
    }
  });
  it("an answer fails it", () => {
    expect(judgeResolution({ mustResolve: false, name: "b", from: "a", lookup: lookup.answer }).verdict).toBe("fail");
  });
});

describe("resolves", () => {
  it("needs the answer, from the named server, with the expected address", () => {
    expect(judgeResolution({ mustResolve: true, name: "b", from: "a", lookup: lookup.answer, via: "127.0.0.11", expectAddress: "10.213.7.3" }).status).toBe("pass");
    expect(judgeResolution({ mustResolve: true, name: "b", from: "a", lookup: lookup.answer, via: "198.18." }).status).toBe("fail");
    expect(judgeResolution({ mustResolve: true, name: "b", from: "a", lookup: lookup.answer, expectAddress: "10.213.7.4" }).status).toBe("fail");
    expect(judgeResolution({ mustResolve: true, name: "b", from: "a", lookup: lookup.timeout }).status).toBe("fail");
  });
});
