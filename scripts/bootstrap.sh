#!/usr/bin/env bash
# Installs everything Vetta needs on a fresh Debian 12 machine, idempotently.
#   scripts/bootstrap.sh         runtime dependencies (what `make start` needs)
#   scripts/bootstrap.sh dev     plus the test and lint tools (what `make check` needs)
# Each step is skipped when its stamp says it already ran with the same inputs, so a second run
# costs about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
profile=${1:-base}
venv="$root/.venv"
stamps="$venv/.stamps"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# 1. Debian packages: bubblewrap (the sandbox), chromium (browser tests), python3.11-venv (the
#    grader runtime is built from Debian's world-readable python3.11, see docs/sandbox.md).
debs=(bubblewrap python3.11 python3.11-venv libseccomp2 iproute2 util-linux)
[ "$profile" = dev ] && debs+=(chromium)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "error: installing Debian packages needs root (sudo $0)" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# 2. The project's virtual environment.
py=$(command -v python3.11 || command -v python3)
if [ ! -x "$venv/bin/python" ]; then
  say "Creating the virtual environment in .venv"
  "$py" -m venv "$venv"
fi
mkdir -p "$stamps"
extra=""; [ "$profile" = dev ] && extra="[dev]"
want=$(sha256sum pyproject.toml | cut -c1-16)-$profile
if [ "$(cat "$stamps/pip-$profile" 2>/dev/null)" != "$want" ]; then
  say "Installing Python packages (vetta$extra)"
  log=$(mktemp)
  # This machine's pip configuration names package indexes that may not exist; pip warns about
  # each of them. Keep the log, show it only when the install fails.
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check -e ".$extra" >"$log" 2>&1; then
    grep -v "is neither a file nor a directory" "$log" >&2; rm -f "$log"; exit 1
  fi
  rm -f "$log"
  echo "$want" > "$stamps/pip-$profile"
fi

# 3. The grader runtime that sandboxed code runs with (idempotent, keyed by its requirements).
"$venv/bin/vetta" sandbox setup --quiet
