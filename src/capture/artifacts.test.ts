import { describe, expect, it } from "vitest";
import type { CheckResult } from "../report/model.js";
import { pcapArtifactsOf } from "./artifacts.js";

const check = (name: string, files: [string, string][]): CheckResult => ({
  id: `s/${name}`,
  name,
  category: "nat",
  expectation: "",
  status: "pass",
  startedAt: "",
  durationMs: 0,
  evidence: [
    { kind: "note", text: "not a capture" },
    ...files.map(([capture, file]) => ({ kind: "packets" as const, capture, file, lines: [], total: 0 })),
  ],
});

describe("pcapArtifactsOf", () => {
  it("lists every pcap named by packets evidence once, with who captured it", () => {
    const arts = pcapArtifactsOf([check("dnat", [["external host eth0", "s/a.pcap"], ["web's namespace", "s/b.pcap"]]), check("again", [["external host eth0", "s/a.pcap"]])]);
    expect(arts).toEqual([
      { kind: "pcap", path: "s/a.pcap", description: "external host eth0 (dnat)" },
      { kind: "pcap", path: "s/b.pcap", description: "web's namespace (dnat)" },
    ]);
    expect(pcapArtifactsOf([check("none", [])])).toEqual([]);
  });
});
