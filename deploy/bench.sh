#!/usr/bin/env bash
# `make bench`: every benchmark, in release mode, against the development instance (fsync on).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
deploy/infra.sh start >/dev/null
swift build -c release --product utilis
bin=$(swift build -c release --show-bin-path)
eval "$(deploy/infra.sh env)"
"$bin/utilis" bench messaging "$@"
