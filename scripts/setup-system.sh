#!/usr/bin/env bash
# Installs the Debian packages the tests need (Go 1.23 from bookworm-backports, Docker, a registry, skopeo, Wine, crane's sources).
set -euo pipefail

# The mirror this machine already uses for bookworm (deb822 `.sources` files or one-line `sources.list`), so that
# the backports entry goes through the same mirror or proxy; deb.debian.org only when none is configured.
debian_mirror() {
  local file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri=$(awk '
      /^[[:space:]]*$/ { if (suite && uri) { print uri; exit } suite = 0; uri = "" ; next }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
      END { if (suite && uri) print uri }' "$file" | head -n 1)
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i < NF; i++) if ($i !~ /^\[/ && $(i + 1) == "bookworm") { print $i; exit } }' "$file")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  echo "http://deb.debian.org/debian"
}

if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/backports.sources <<SRC
Types: deb
URIs: $(debian_mirror)
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
# Test fixtures assembled at test time: third-party Go sources to vendor (uuid, mux, errors, x/text), x/mod's module
# zip writer for the private module proxy, openssl for its certificate, and python3 (canonical zlib for the
# daemonless layer's gzip test; a free port for the integration suite).
packages=(golang-1.23-go docker.io docker-registry skopeo golang-github-google-go-containerregistry-dev
  wine64 gcc-mingw-w64-x86-64 busybox-static binutils file openssl python3
  golang-github-google-uuid-dev golang-github-gorilla-mux-dev golang-github-pkg-errors-dev golang-golang-x-text-dev
  golang-golang-x-mod-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "system packages ready: ${packages[*]}"
