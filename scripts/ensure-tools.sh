#!/usr/bin/env bash
# The tests use real Chromium and real tcpdump/tshark as oracles. Install what is missing
# (Debian packages), or say exactly what to install when we cannot.
set -euo pipefail
missing=()
command -v tcpdump >/dev/null || missing+=(tcpdump)
command -v tshark >/dev/null || missing+=(tshark)
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} (Debian packages) for the tests..."
  apt-get update -qq
  # tshark asks whether non-root users may capture; the answer does not matter here.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}. Install them, e.g.: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
