#!/usr/bin/env bash
# Installs the Debian packages the test suite drives (Chromium for the browser tests, tshark as the
# independent packet decoder) when they are missing and we run as root; otherwise says what is missing.
set -u
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v tshark >/dev/null 2>&1 || need+=(tshark)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "packet-path tests need: ${need[*]} (apt-get install -y ${need[*]}); not root, so not installing" >&2
  exit 0
fi
echo "installing ${need[*]} from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
if ! apt-get install -y --no-install-recommends "${need[@]}" >/tmp/packet-path-apt.log 2>&1; then
  apt-get update >>/tmp/packet-path-apt.log 2>&1
  apt-get install -y --no-install-recommends "${need[@]}" >>/tmp/packet-path-apt.log 2>&1 || {
    echo "apt-get install ${need[*]} failed; see /tmp/packet-path-apt.log" >&2
    exit 1
  }
fi
