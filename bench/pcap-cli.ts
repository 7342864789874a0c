// `netcheck pcap …` from source, for bench/pcap.ts: the CLI's own code path and exit code.
import { main } from "../src/cli/main.js";

await main(process.argv.slice(2));
