#!/usr/bin/env bash
# Builds (once) the Debian chroot the agent's patch Install e2e runs in, so Install never touches this host's
# packages. Usage: scripts/build-debian-chroot.sh [DIR] [RELEASE]. Reused while DIR/.bulwark-ready exists.
set -euo pipefail
release="${2:-bookworm}"
dir="${1:-/var/tmp/bulwark-chroot-$release}"
mirror="${BULWARK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${BULWARK_DEBIAN_SECURITY_MIRROR:-http://security.debian.org/debian-security}"

if [ -f "$dir/.bulwark-ready" ]; then
  echo "$dir is ready"
  exit 0
fi
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
fi
partial="$dir.partial"
rm -rf "$partial"
debootstrap --variant=minbase "$release" "$partial" "$mirror"
cat >"$partial/etc/apt/sources.list" <<SOURCES
deb $mirror $release main
deb $security $release-security main
SOURCES
chroot "$partial" apt-get update -qq
rm -rf "$dir"
mv "$partial" "$dir"
touch "$dir/.bulwark-ready"
echo "$dir is ready"
