#!/usr/bin/env bash
# `make test`: starts a test instance of RabbitMQ and PostgreSQL (own ports and folder, so it
# can run beside `make run`), builds, runs every test, and stops the instance again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export UTILIS_RUN_DIR=$root/.run/test UTILIS_AMQP_PORT=5682 UTILIS_DIST_PORT=25682 UTILIS_MGMT_PORT=0
export UTILIS_NODE=utilis-test@localhost UTILIS_PG_PORT=5443 UTILIS_PG_FAST=1
# A clean instance each run: no queue or database left from an earlier one.
deploy/infra.sh stop >/dev/null 2>&1 || true
rm -rf "$UTILIS_RUN_DIR"
trap 'deploy/infra.sh stop >/dev/null 2>&1 || true' EXIT
deploy/infra.sh start
export UTILIS_TEST_AMQP_URL=amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis
export UTILIS_TEST_DATABASE_URL=postgresql://utilis@127.0.0.1:$UTILIS_PG_PORT/postgres
# For the test that stops a broker of its own.
export UTILIS_INFRA_SCRIPT=$root/deploy/infra.sh
swift build --build-tests
export UTILIS_BIN_DIR=$(swift build --show-bin-path)
swift test --skip-build "$@"
# With no filter given, every test: those from outside the system too, and the suites of the
# code that hands memory to and from rabbitmq-c and libpq again under AddressSanitizer (a use
# after free there passed every ordinary run). XCTest's runner leaks two objects of its own at
# exit, so leaks are not reported.
if (($# == 0)); then
  deploy/system-tests.sh
  swift build --build-tests --sanitize=address --build-path .build/asan
  UTILIS_BIN_DIR=$(swift build --sanitize=address --build-path .build/asan --show-bin-path) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    swift test --skip-build --sanitize=address --build-path .build/asan --filter "AMQPTests|PostgresTests|MessagingTests|BlockingIOTests"
fi
