import { describe, expect, it } from "vitest";
import { parseIpLinkJson } from "./macvlan-kernel.js";

// Recorded from `nsenter --net=/proc/<pid>/ns/net ip -d -j link show dev eth0` on a macvlan container (iproute2 6.1).
const RECORDED = `[{"ifindex":237,"link_index":236,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","link_type":"ether","address":"02:42:0a:d5:fb:02","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"macvlan","info_data":{"mode":"bridge","bcqueuelen":1000,"usedbcqueuelen":1000}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1}]`;

describe("parseIpLinkJson", () => {
  it("reads kind, mode and the lower device's ifindex", () => {
    const [l] = parseIpLinkJson(RECORDED);
    expect(l).toMatchObject({ ifindex: 237, link_index: 236, ifname: "eth0", address: "02:42:0a:d5:fb:02" });
    expect(l!.linkinfo?.info_kind).toBe("macvlan");
    expect(l!.linkinfo?.info_data?.mode).toBe("bridge");
  });

  it("treats empty output as no links and refuses non-arrays", () => {
    expect(parseIpLinkJson("")).toEqual([]);
    expect(() => parseIpLinkJson('{"ifindex":1}')).toThrow(/JSON array/);
  });
});
