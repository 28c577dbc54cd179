#!/usr/bin/env bash
# `make bench`: every benchmark, in release mode. The BPMN engine's, pricing's and JSON bodies' first, with no broker or
# database running beside it; then messaging, the orchestrator, the cartable, registration, the ledger, billing and reports against the development
# instance (fsync on). Arguments go to the messaging benchmark.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
deploy/install.sh
swift build -c release --product utilis
swift build -c release --product Orchestrator
swift build -c release --product Cartable
swift build -c release --product Registration
swift build -c release --product Ledger
swift build -c release --product Billing
swift build -c release --product Tariff
swift build -c release --product Reports
bin=$(swift build -c release --show-bin-path)
"$bin/utilis" bench bpmn
"$bin/utilis" bench pricing
"$bin/utilis" bench json
deploy/infra.sh start >/dev/null
eval "$(deploy/infra.sh env)"
"$bin/utilis" bench messaging "$@"
"$bin/utilis" bench orchestrator
"$bin/utilis" bench cartable
"$bin/utilis" bench registration
"$bin/utilis" bench ledger
"$bin/utilis" bench billing
"$bin/utilis" bench reports
