#!/usr/bin/env bash
# The raw docker CLI doing the minimal scenario of bench/minimal-scenario.ts:
# a network, two containers, a ping, an nslookup, everything removed.
# Safety: each container's DNS upstream is the other container (a lab address
# that runs no resolver), so no query can leave the lab; everything carries
# io.netcheck.run=bench-<id>, so `netcheck clean` finds it too.
set -uo pipefail
IMAGE=${NETCHECK_PROBE_IMAGE:-netcheck/probe:0.1.0}
ID=$(tr -dc 'a-z0-9' </dev/urandom | head -c 5)
RUN=bench-$ID
NET=nc-$RUN-net
cleanup() {
  docker rm -f "nc-$RUN-a" "nc-$RUN-b" >/dev/null 2>&1
  docker network rm "$NET" >/dev/null 2>&1
}
trap cleanup EXIT
for _ in 1 2 3 4 5 6 7 8; do
  N=$((RANDOM % 250))
  docker network create --label "io.netcheck.run=$RUN" --subnet "10.214.$N.0/24" "$NET" >/dev/null 2>&1 && break
  N=""
done
[ -n "$N" ] || { echo "no free 10.214.x.0/24" >&2; exit 2; }
run() { docker run -d --name "nc-$RUN-$1" --label "io.netcheck.run=$RUN" --network "$NET" --network-alias "$1" --ip "10.214.$N.$2" --dns "10.214.$N.$3" "$IMAGE" sleep 600 >/dev/null; }
run a 10 11 && run b 11 10 || exit 1
docker exec "nc-$RUN-a" ping -c 1 -W 2 b >/dev/null || { echo "ping a → b failed" >&2; exit 1; }
docker exec "nc-$RUN-a" nslookup b >/dev/null || { echo "nslookup b failed" >&2; exit 1; }
