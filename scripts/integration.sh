#!/usr/bin/env bash
# npm run test:integration: starts a Docker engine and a registry on loopback, builds crane, runs the integration
# tests (real BuildKit builds, pushes, skopeo inspection, the binary under Wine), and stops everything it started.
# Ends with one line `N passed, N failed`. With --bench it runs the benchmark (npm run bench) in the same setting.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/go-env.sh
root=$PWD

# On a fresh machine, install what is missing (Debian packages; root or sudo).
for tool in /usr/sbin/dockerd /usr/bin/docker /usr/bin/docker-registry /usr/bin/skopeo /usr/lib/wine/wine64 x86_64-w64-mingw32-gcc go; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then bash scripts/setup-system.sh; else sudo bash scripts/setup-system.sh; fi
    source scripts/go-env.sh
    break
  fi
done
[ -d node_modules ] || npm ci --no-audit --no-fund

export IT_DIR
IT_DIR=$(mktemp -d /tmp/gwc-it.XXXXXX)
pids=()
cleanup() {
  set +e
  if [ -n "${IT_WINEPREFIX:-}" ] && [ -d "$IT_WINEPREFIX" ]; then WINEPREFIX=$IT_WINEPREFIX /usr/lib/wine/wineserver64 -k 2>/dev/null; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done; kill -9 "$pid" 2>/dev/null; done
  umount "$IT_DIR"/docker/* 2>/dev/null
  rm -rf "$IT_DIR"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A Docker engine of our own: its own socket and state, no bridge network and no iptables rules.
/usr/sbin/dockerd --host "unix://$IT_DIR/docker.sock" --data-root "$IT_DIR/docker" --exec-root "$IT_DIR/exec" \
  --pidfile "$IT_DIR/docker.pid" --bridge=none --iptables=false --ip-masq=false >"$IT_DIR/dockerd.log" 2>&1 &
pids+=($!)
export DOCKER_HOST="unix://$IT_DIR/docker.sock"
for _ in $(seq 120); do /usr/bin/docker info >/dev/null 2>&1 && break; sleep 0.5; done
/usr/bin/docker info >/dev/null || { cat "$IT_DIR/dockerd.log"; exit 1; }

# A registry on 127.0.0.1 only.
port=$(free_port)
cat >"$IT_DIR/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $IT_DIR/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
/usr/bin/docker-registry serve "$IT_DIR/registry.yml" >"$IT_DIR/registry.log" 2>&1 &
pids+=($!)
export IT_REGISTRY="127.0.0.1:$port"
for _ in $(seq 50); do curl -fs "http://$IT_REGISTRY/v2/" >/dev/null && break; sleep 0.2; done

# crane, from Debian's go-containerregistry sources (built once, then reused).
export IT_CRANE="$root/.build/bin/crane"
if [ ! -x "$IT_CRANE" ]; then
  mkdir -p "$root/.build/bin"
  GO111MODULE=off GOPATH="$IT_DIR/gopath:/usr/share/gocode" go build -o "$IT_CRANE" github.com/google/go-containerregistry/cmd/crane
fi
# A Wine prefix, kept between runs (wineboot takes about 10 s).
export IT_WINEPREFIX="$root/.build/wine"

if [ "${1:-}" = "--bench" ]; then
  npx ts-node --transpile-only bench/run.ts
  exit 0
fi

log="$IT_DIR/mocha.out"
set +e
npx mocha --config .mocharc.integration.json "$@" 2>&1 | tee "$log"
set -e
passed=$(grep -Eo '^ +[0-9]+ passing' "$log" | grep -Eo '[0-9]+' || echo 0)
failed=$(grep -Eo '^ +[0-9]+ failing' "$log" | grep -Eo '[0-9]+' || echo 0)
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
