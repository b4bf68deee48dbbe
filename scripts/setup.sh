#!/usr/bin/env bash
# Sets everything up on a Debian 12 machine: system packages (Go 1.23, Docker, registry, skopeo, crane, Wine) and npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/setup-system.sh; else sudo bash scripts/setup-system.sh; fi
npm ci --no-audit --no-fund
echo "setup done"
