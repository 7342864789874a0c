#!/bin/sh
# Build the netcheck Vagrant box locally: there is no box registry to pull from.
# debootstrap a Debian bookworm rootfs from the package mirror, write it into an
# ext4 image without mounting anything (mke2fs -d), convert to qcow2 and package
# it as a libvirt box. No bootloader: the box boots with the kernel and initrd
# shipped next to the image (vagrant-libvirt's libvirt.kernel/initrd), which
# avoids partitioning and loop devices.
#
# Usage: vagrant/build-box.sh [STATE_DIR]   (default /var/lib/netcheck/vm)
# Output: $STATE/box/netcheck-bookworm.box, $STATE/boot/{vmlinuz,initrd.img}, $STATE/ssh/id_ed25519
set -eu
STATE=${1:-${NETCHECK_VM_STATE:-/var/lib/netcheck/vm}}
MIRROR=${NETCHECK_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOT=$STATE/rootfs
PKGS=apparmor,linux-image-amd64,systemd-sysv,udev,kmod,openssh-server,sudo,docker.io,iptables,iperf3,tcpdump,busybox-static,iproute2,procps,ethtool,bridge-utils

start=$(date +%s)
mkdir -p "$STATE/ssh" "$STATE/box" "$STATE/boot"
[ -f "$STATE/ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C netcheck-vm -f "$STATE/ssh/id_ed25519"

# The marker holds the package list: a rootfs bootstrapped with another list is rebuilt,
# or a package added here (apparmor, for dockerd on the guest kernel) would never arrive.
# An interrupted debootstrap leaves the host's /proc (and maybe more) mounted in the rootfs:
# unmount everything under it first (deepest first), and never let rm cross into a mount.
unmount_rootfs() {
  awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
}
trap unmount_rootfs EXIT
trap "exit 130" INT TERM HUP
if [ "$(cat "$ROOT/.netcheck-debootstrap-done" 2>/dev/null)" != "$PKGS" ]; then
  unmount_rootfs
  rm -rf --one-file-system "$ROOT"
  debootstrap --variant=minbase --include="$PKGS" bookworm "$ROOT" "$MIRROR"
  echo "$PKGS" > "$ROOT/.netcheck-debootstrap-done"
fi
echo "debootstrap done after $(( $(date +%s) - start ))s"

# --- configure the guest ---------------------------------------------------
echo netcheck-vm > "$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 netcheck-vm\n' > "$ROOT/etc/hosts"
printf '/dev/vda / ext4 defaults,noatime 0 1\n' > "$ROOT/etc/fstab"
# The VM must never ask an outside resolver: nothing listens on 127.0.0.1:53, so lookups fail fast.
rm -f "$ROOT/etc/resolv.conf"; echo 'nameserver 127.0.0.1' > "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/etc/systemd/network"
cat > "$ROOT/etc/systemd/network/10-mgmt.network" <<'EOF'
[Match]
Name=eth0
[Network]
DHCP=ipv4
[DHCPv4]
UseDNS=no
UseRoutes=no
UseDomains=no
EOF
# eth1.. are lab trunks: up, no address; scenarios put macvlan/ipvlan/vxlan on them.
cat > "$ROOT/etc/systemd/network/20-trunk.network" <<'EOF'
[Match]
Name=eth1 eth2
[Link]
RequiredForOnline=no
[Network]
LinkLocalAddressing=no
EOF
chroot "$ROOT" systemctl enable systemd-networkd ssh docker >/dev/null 2>&1 || true
chroot "$ROOT" systemctl disable apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service >/dev/null 2>&1 || true
chroot "$ROOT" systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1 || true
chroot "$ROOT" sh -c 'id vagrant >/dev/null 2>&1 || useradd -m -s /bin/bash -G sudo,docker vagrant'
echo 'vagrant ALL=(ALL) NOPASSWD:ALL' > "$ROOT/etc/sudoers.d/vagrant"
for home in "$ROOT/home/vagrant" "$ROOT/root"; do
  mkdir -p "$home/.ssh"; cp "$STATE/ssh/id_ed25519.pub" "$home/.ssh/authorized_keys"; chmod 700 "$home/.ssh"; chmod 600 "$home/.ssh/authorized_keys"
done
chroot "$ROOT" chown -R vagrant:vagrant /home/vagrant/.ssh
printf 'UseDNS no\nPermitRootLogin prohibit-password\n' > "$ROOT/etc/ssh/sshd_config.d/netcheck.conf"
mkdir -p "$ROOT/etc/docker"
# No registry is reachable; no default DNS for containers (netcheck passes --dns).
echo '{ "dns": ["127.0.0.1"], "log-driver": "local" }' > "$ROOT/etc/docker/daemon.json"
printf 'ipvlan\n8021q\nvxlan\nmacvlan\ndummy\n' > "$ROOT/etc/modules-load.d/netcheck.conf"
# Host keys are per-box; regenerate nothing at boot (TCG makes keygen slow).
# Empty machine-id: systemd makes a fresh one per VM at first boot. A shared one
# gives every VM the same DHCP client id, hence the same address.
: > "$ROOT/etc/machine-id"; rm -f "$ROOT/var/lib/dbus/machine-id"
chroot "$ROOT" apt-get clean
rm -rf "$ROOT/var/lib/apt/lists/"* "$ROOT/usr/share/doc" "$ROOT/usr/share/man" "$ROOT/usr/share/locale"

cp "$ROOT"/boot/vmlinuz-* "$STATE/boot/vmlinuz"
cp "$ROOT"/boot/initrd.img-* "$STATE/boot/initrd.img"
chmod 644 "$STATE/boot/vmlinuz" "$STATE/boot/initrd.img"

# --- image and box ---------------------------------------------------------
rm -f "$STATE/box/box.raw" "$STATE/box/box.img"
mke2fs -q -t ext4 -L netcheck-root -d "$ROOT" "$STATE/box/box.raw" 6G
qemu-img convert -O qcow2 "$STATE/box/box.raw" "$STATE/box/box.img"
rm -f "$STATE/box/box.raw"
echo '{"provider":"libvirt","format":"qcow2","virtual_size":6}' > "$STATE/box/metadata.json"
cat > "$STATE/box/Vagrantfile" <<'EOF'
Vagrant.configure("2") do |config|
  config.vm.synced_folder ".", "/vagrant", disabled: true
end
EOF
tar -C "$STATE/box" -cf "$STATE/box/netcheck-bookworm.box" metadata.json Vagrantfile box.img
rm -f "$STATE/box/box.img"
echo "box built in $(( $(date +%s) - start ))s: $STATE/box/netcheck-bookworm.box ($(du -h "$STATE/box/netcheck-bookworm.box" | cut -f1))"
