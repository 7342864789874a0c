#!/usr/bin/env bash
# The plain-docker-CLI peer of one netcheck mode: the SAME lab (networks, probe
# containers serving node=<name> over busybox httpd, an external host in its own
# namespace) and the SAME probes (including the negative checks with the same
# 2 s timeouts), then everything removed. Used by bench/overhead.ts to measure
# what netcheck costs over a script a person would write.
#
#   bench/overhead-peer.sh <bridge|host|none|container|user-defined>
#
# Safety: every container gets --dns <the peer's own DNS in its external namespace>
# (never the host's resolver; 127.0.0.1 would do, but Docker 20.10's embedded DNS
# then stops answering even container names, so the peer runs a 20-line
# responder as netcheck runs its lab DNS) and
# the label io.netcheck.run=bench-<id>; namespaces and links are netcheck-*
# (so `netcheck clean` finds them too); probes only target lab addresses.
set -uo pipefail
MODE=${1:?usage: overhead-peer.sh <mode>}
IMAGE=${NETCHECK_PROBE_IMAGE:-netcheck/probe:0.1.0}
ID=$(tr -dc 'a-z0-9' </dev/urandom | head -c 5)
RUN=bench-$ID
NS=netcheck-bench-$ID
LINK=netcheck-${ID}b
CLAIMS=/run/netcheck/subnets
FAILED=0
CLAIM=""

cleanup() {
  [ -n "$DNS_PID" ] && kill "$DNS_PID" 2>/dev/null
  docker ps -aq --filter "label=io.netcheck.run=$RUN" | xargs -r docker rm -f >/dev/null 2>&1
  docker network ls -q --filter "label=io.netcheck.run=$RUN" | xargs -r docker network rm >/dev/null 2>&1
  ip link del "$LINK" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  [ -n "$CLAIM" ] && rm -f "$CLAIM"
}
trap cleanup EXIT

# check <ok|fail> <what> <command...>: run a probe, compare with the expectation.
check() {
  local want=$1 what=$2; shift 2
  if "$@" >/dev/null 2>&1; then got=ok; else got=fail; fi
  if [ "$got" != "$want" ]; then echo "  MISMATCH $what: expected $want, got $got" >&2; FAILED=$((FAILED + 1)); fi
}
on() { local n=$1; shift; docker exec "nc-$RUN-$n" busybox "$@"; }
ip_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}" "nc-$RUN-$1"; }
gw_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").Gateway}}" "nc-$RUN-$1"; }

node() { # node <name> <port> [docker run args...]
  local name=$1 port=$2; shift 2
  # --network container:<x> shares x's resolver; Docker refuses --dns with it.
  local DNS_OPT="--dns=$EXT"; case "$*" in *container:*) DNS_OPT="--label=io.netcheck.dns=shared" ;; esac
  docker run -d --name "nc-$RUN-$name" --label "io.netcheck.run=$RUN" $DNS_OPT "$@" "$IMAGE" \
    sh -c "mkdir -p /tmp/www && echo node=$name > /tmp/www/index.html && httpd -p $port -h /tmp/www && exec sleep 2147483647" >/dev/null
}
wait_http() { # same readiness loop netcheck uses
  docker exec "nc-$RUN-$1" sh -c "i=0; while [ \$i -lt 200 ]; do nc -w 1 127.0.0.1 $2 -e true 2>/dev/null && exit 0; usleep 50000; i=\$((i+1)); done; exit 1"
}
network() { docker network create --label "io.netcheck.run=$RUN" "$@" >/dev/null; }

# The external host: a namespace on a veth, on a /24 claimed the way netcheck claims them.
external_up() {
  mkdir -p "$CLAIMS"
  for _ in $(seq 50); do
    local n=$((RANDOM % 256)) f
    f="$CLAIMS/198.19.${n}.0_24"
    if ! ip route show | grep -q "^198\.19\.$n\.0/24" && (set -o noclobber; echo -n "$RUN" >"$f") 2>/dev/null; then
      CLAIM=$f; EXT=198.19.$n.2; EXT_GW=198.19.$n.1; break
    fi
  done
  [ -n "$CLAIM" ] || { echo "no free 198.19.x.0/24" >&2; exit 2; }
  ip netns add "$NS"
  ip link add "$LINK" type veth peer name eth0 netns "$NS"
  ip addr add "$EXT_GW/24" dev "$LINK" && ip link set "$LINK" up
  ip -n "$NS" addr add "$EXT/24" dev eth0 && ip -n "$NS" link set eth0 up && ip -n "$NS" link set lo up
  ip -n "$NS" route add default via "$EXT_GW"
  # The lab DNS: ext.netcheck.test → the external host, NXDOMAIN for the rest.
  ip netns exec "$NS" node -e "$DNS_JS" "$EXT" & DNS_PID=$!
  for _ in $(seq 100); do ip netns exec "$NS" busybox nslookup ext.netcheck.test "$EXT" >/dev/null 2>&1 && return; sleep 0.05; done
  echo "peer DNS did not start" >&2; exit 2
}
DNS_JS='
const dgram = require("node:dgram"); const ip = process.argv[1].split(".").map(Number);
const s = dgram.createSocket("udp4");
s.on("message", (m, r) => {
  let o = 12; const l = []; while (m[o]) { l.push(m.toString("latin1", o + 1, o + 1 + m[o])); o += 1 + m[o]; }
  const q = m.subarray(12, o + 5), type = m.readUInt16BE(o + 1), hit = l.join(".").toLowerCase() === "ext.netcheck.test";
  const h = Buffer.from([m[0], m[1], 0x85, hit ? 0x80 : 0x83, 0, 1, 0, hit && type === 1 ? 1 : 0, 0, 0, 0, 0]);
  const a = hit && type === 1 ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ip]) : Buffer.alloc(0);
  s.send(Buffer.concat([h, q, a]), r.port, r.address);
});
s.bind(53, process.argv[1]);'
DNS_PID=""

external_up
case $MODE in
bridge)
  node a 80; node b 80; wait_http a 80; wait_http b 80
  B=$(ip_of b bridge); GW=$(gw_of a bridge); A=$(ip_of a bridge)
  check ok   "a→b icmp"        on a ping -c 1 -W 2 "$B"
  check ok   "a→b http"        on a wget -q -O - "http://$B:80/"
  check fail "a resolves b"    on a nslookup -type=a b
  check fail "a→b by name"     on a ping -c 1 -W 2 b
  check ok   "a→gateway"       on a ping -c 1 -W 2 "$GW"
  check ok   "a default route" sh -c "docker exec nc-$RUN-a busybox ip route | grep -q 'default via $GW'"
  check ok   "host→a icmp"     busybox ping -c 1 -W 2 "$A"
  check ok   "host→b http"     busybox wget -q -O - "http://$B:80/"
  check ok   "a→external"      on a ping -c 1 -W 2 "$EXT"
  check ok   "a resolves ext"  on a nslookup -type=a ext.netcheck.test
  ;;
host)
  PORT=$((20000 + RANDOM % 20000))
  node h "$PORT" --network host; wait_http h "$PORT"
  check ok "h in host netns"  sh -c "[ \"\$(docker exec nc-$RUN-h busybox readlink /proc/self/ns/net)\" = \"\$(readlink /proc/self/ns/net)\" ]"
  check ok "h sees docker0"   sh -c "docker exec nc-$RUN-h busybox ip -o link | grep -q ' docker0:'"
  check ok "host→h loopback"  busybox wget -q -O - "http://127.0.0.1:$PORT/"
  check ok "h→external"       on h ping -c 1 -W 2 "$EXT"
  check ok   "h resolves ext"    on h nslookup -type=a ext.netcheck.test
  ;;
none)
  node n 80 --network none; node peer 80; wait_http n 80; wait_http peer 80
  P=$(ip_of peer bridge); HOSTIP=$EXT_GW
  check ok   "n only lo"        sh -c "[ \"\$(docker exec nc-$RUN-n busybox ip -o link | wc -l)\" = 1 ]"
  check ok   "n no routes"      sh -c "[ -z \"\$(docker exec nc-$RUN-n busybox ip route)\" ]"
  check ok   "n→loopback http"  on n wget -q -O - "http://127.0.0.1:80/"
  check fail "n→external"       on n ping -c 1 -W 2 "$EXT"
  check fail "n→host"           on n ping -c 1 -W 2 "$HOSTIP"
  check fail "n→peer"           on n ping -c 1 -W 2 "$P"
  ;;
container)
  node target 80; node joiner 8080 --network "container:nc-$RUN-target"; node other 80
  wait_http target 80; wait_http joiner 8080; wait_http other 80
  T=$(ip_of target bridge)
  check ok "shared netns"        sh -c "[ \"\$(docker exec nc-$RUN-joiner busybox readlink /proc/self/ns/net)\" = \"\$(docker exec nc-$RUN-target busybox readlink /proc/self/ns/net)\" ] && [ \"\$(docker exec nc-$RUN-joiner busybox ip -o addr)\" = \"\$(docker exec nc-$RUN-target busybox ip -o addr)\" ]"
  check ok "joiner→target lo"    on joiner wget -q -O - "http://127.0.0.1:80/"
  check ok "target→joiner lo"    on target wget -q -O - "http://127.0.0.1:8080/"
  check ok "other→joiner@target" sh -c "docker exec nc-$RUN-other busybox wget -q -O - http://$T:8080/ | grep -q node=joiner"
  ;;
user-defined)
  network --subnet "10.214.$((RANDOM % 250)).0/24" "nc-$RUN-app"
  network --internal "nc-$RUN-private"
  node a 80 --network "nc-$RUN-app" --network-alias a; node b 80 --network "nc-$RUN-app" --network-alias b; node legacy 80
  node i1 80 --network "nc-$RUN-private" --network-alias i1; node i2 80 --network "nc-$RUN-private" --network-alias i2
  for n in a b legacy i1 i2; do wait_http $n 80; done
  B=$(ip_of b "nc-$RUN-app"); A=$(ip_of a "nc-$RUN-app"); L=$(ip_of legacy bridge); IGW=$(gw_of i1 "nc-$RUN-private")
  check ok   "a resolves b"        on a nslookup -type=a b 127.0.0.11
  check ok   "a→b by name http"    on a wget -q -O - "http://b:80/"
  check ok   "a→b icmp"            on a ping -c 1 -W 2 "$B"
  check ok   "a addressing"        sh -c "docker exec nc-$RUN-a busybox ip -4 -o addr | grep -q ' $A/' && docker exec nc-$RUN-a busybox ip route | grep -q '^default via'"
  check ok   "b addressing"        sh -c "docker exec nc-$RUN-b busybox ip -4 -o addr | grep -q ' $B/' && docker exec nc-$RUN-b busybox ip route | grep -q '^default via'"
  check ok   "a resolves ext via embedded DNS" on a nslookup -type=a ext.netcheck.test 127.0.0.11
  check ok   "a→external"          on a ping -c 1 -W 2 "$EXT"
  check fail "a→legacy"            on a ping -c 1 -W 2 "$L"
  check fail "legacy→a icmp"       on legacy ping -c 1 -W 2 "$A"
  check fail "legacy→a tcp"        on legacy nc -w 2 "$A" 80 -e true
  check fail "legacy resolves a"   on legacy nslookup -type=a a
  check fail "i1→external icmp"    on i1 ping -c 1 -W 2 "$EXT"
  check fail "i1→external tcp"     on i1 nc -w 2 "$EXT" 53 -e true
  check ok   "i1→host"             on i1 ping -c 1 -W 2 "$IGW"
  check ok   "i1→i2 by name http"  on i1 wget -q -O - "http://i2:80/"
  ;;
*) echo "unknown mode $MODE" >&2; exit 2 ;;
esac
[ "$FAILED" = 0 ] || { echo "$MODE: $FAILED probes did not behave as expected" >&2; exit 1; }
