# Puts Go 1.23 (Debian's golang-1.23-go from bookworm-backports) first on PATH when the default go is older.
if [ -x /usr/lib/go-1.23/bin/go ]; then export PATH=/usr/lib/go-1.23/bin:$PATH; fi
export GOFLAGS=${GOFLAGS:-} GOTOOLCHAIN=local
