/** netcheck's library API: what scenario files and programs import. */
export { defineScenario, type Scenario, type ScenarioDefinition, type CheckDecl, type CheckOutcome } from "./scenario/define.js";
export type { CheckBuilder } from "./scenario/check-builder.js";
export type { CheckContext } from "./scenario/context.js";
export type { Endpoint, Target } from "./scenario/targets.js";
export type { TopologyBuilder, NodeDecl, NetworkDecl, NodeOptions, NetworkOptions, PortPublish, ServeHttp, SegmentDecl, SegmentOptions } from "./lab/topology.js";
export { runScenarios, type RunOptions, type RunEvents } from "./scenario/runner.js";
export type { RunHook } from "./scenario/run-hook.js";
export { perfHook, type PerfSelection } from "./perf/perf-hook.js";
export * from "./report/model.js";
export { NetcheckError, DeclarationError } from "./util/errors.js";
export { icmpReach, tcpReach, httpGet } from "./probes/reach.js";
export { dnsLookup } from "./probes/dns.js";
export { captureOnHost, captureDuring, type HostCapture, type CaptureSpec } from "./capture/index.js";
/** The VM lab's fixed wiring, for scenarios that put links on its isolated trunk. */
export { VM_TRUNK, vmUnderlayAddress, withAddress, withRoute, withVlanPeer, createLabNetwork } from "./lab/vm/trunk.js";
/** Verdicts scenario files call over what they gathered (pure: decoded frames and command output in). */
export { judgeReach, countProbePackets, type TargetArrival } from "./assert/reach.js";
export { judgeVlanTags, judgeSharedMac, judgeRefused, judgeSubInterfaceLife, judgeViaGateway, judgeNoRouteOut, type SubInterfaceLife } from "./assert/vlan-trunk.js";
