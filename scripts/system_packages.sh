#!/usr/bin/env sh
# Installs the Debian packages Rapid Review needs, or stops at once with the exact command to run.
#   scripts/system_packages.sh run    WeasyPrint's libraries and fonts (the demo renders PDFs)
#   scripts/system_packages.sh test   the same, plus Chromium for the browser tests
# As root with apt-get it installs what is missing; otherwise it prints the apt-get line and exits 1.
set -eu
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation"
if [ "${1:-run}" = "test" ]; then
  packages="$packages chromium"
fi

missing=""
for pkg in $packages; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit 0
fi

echo "Rapid Review needs these Debian packages:$missing" >&2
echo "Install them, then run make again:" >&2
echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
