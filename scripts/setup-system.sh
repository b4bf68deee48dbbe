#!/usr/bin/env bash
# Installs the Debian packages the tests need (Go 1.23 from bookworm-backports, Docker, a registry, skopeo, Wine, crane's sources).
set -euo pipefail
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
packages=(golang-1.23-go docker.io docker-registry skopeo golang-github-google-go-containerregistry-dev
  wine64 gcc-mingw-w64-x86-64 busybox-static binutils file)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "system packages ready: ${packages[*]}"
