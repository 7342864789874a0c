/** Pure pcap/pcapng reading and decoding: bytes in, packets and flows out. */
export * from "./errors.js";
export { LinkType, linkTypeName } from "./link-types.js";
export { MAX_RECORD_BYTES } from "./limits.js";
export { type PcapRecord, type Timestamp, timestampOf, timestampToBigInt, compareTimestamps, secondsBetween } from "./record.js";
export { readPcapBuffer, readPcapBatches, readPcapRecords, readPcapFileBatches, type ReadOptions } from "./read.js";
export { PacketView, IpLayer, IpProto, TcpFlag } from "./packet-view.js";
export { decodeInto, VXLAN_PORTS } from "./decode.js";
export { decodePacket, toPacket, type Packet, type ArpInfo, type IpInfo, type TcpInfo, type IcmpInfo } from "./packet.js";
export { parseDns, dnsTypeName, type DnsMessage, type DnsQuestion, type DnsRecord } from "./dns.js";
export { formatIpv4, formatIpv6, formatMac, normalizeAddress } from "./addr.js";
export { Flow, formatTuple, protocolName, tcpFlagsText, type FlowTuple } from "./flow.js";
export { FlowTable, type FlowQuery, type FlowTableOptions } from "./flow-table.js";
export { CaptureSummarizer, type CaptureSummary, type ProtocolCounter } from "./capture-summary.js";
export { Capture, correlateByToken, type TokenCorrelation, type TokenSighting } from "./capture.js";
export { matchNatPairs, classifyRewrite, type NatPair, type NatRewrite } from "./nat-pairs.js";
export { formatSummaryLine, formatTime, type SummaryLineOptions } from "./summary-line.js";
export { renderCaptureSummary, renderNatPairs } from "./render.js";
