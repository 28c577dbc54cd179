#!/usr/bin/env bash
# The system tested from outside, as its users and neighbours meet it: starts Registration, the
# orchestrator, the cartable, Tariff, the Ledger, Billing and Reports against the instance deploy/test.sh started (the demo people,
# the models of deploy/processes), then
# - the contract test: an outside system written with pika (PyPI) registers customers exactly
#   as docs/asyncapi.json says (Tests/Contract/register_customer_test.py);
# - the end-to-end process tests: each process of deploy/processes worked through the cartable's
#   HTTP API as the right employees, its final record read from the service that keeps it
#   (Tests/System);
# - the bill dispute test: a dispute held, investigated with the account on the task's page,
#   partly accepted, and another rejected, through the cartable's API (Tests/System/bill_dispute_test.py);
# - the reports test: subscriptions registered over the broker, reported through the cartable's
#   API and pages as a manager, a clerk and a technician may read them (Tests/System/reports_test.py);
# - the tariff pages test: a tariff manager reads, prices, publishes and compares tariff
#   versions in the cartable's pages, a clerk may not publish (Tests/System/tariff_pages_test.py);
# - the browser test: headless Chromium (Debian's chromium and chromium-driver) driven by
#   Selenium (PyPI) works the cartable (Tests/Browser/cartable_flow.py); screenshots go to
#   test-results/screenshots/.
# The Python packages live in a virtual environment of their own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${UTILIS_RUN_DIR:?run from deploy/test.sh}" "${UTILIS_BIN_DIR:?run from deploy/test.sh}"

need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
venv=$root/.run/venv-system-tests
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import selenium, pika" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "selenium==4.27.1" "pika==1.3.2"
fi

port=${UTILIS_BROWSER_PORT:-8090}
logs=$UTILIS_RUN_DIR/browser-logs
mkdir -p "$logs"
pids=()
stop() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
declare -A health=([registration]=9111 [orchestrator]=9112 [cartable]=9113 [tariff]=9114 [ledger]=9115 [billing]=9116 [reports]=9117)
for service in Registration Orchestrator Cartable Tariff Ledger Billing Reports; do
  name=$(echo "$service" | tr '[:upper:]' '[:lower:]')
  UTILIS_AMQP_URL=amqp://$name:$name@127.0.0.1:$UTILIS_AMQP_PORT/utilis \
  UTILIS_DATABASE_URL=postgresql://$name@127.0.0.1:$UTILIS_PG_PORT/$name \
  UTILIS_HTTP_PORT=${health[$name]} UTILIS_GATEWAY_PORT=$port UTILIS_PEOPLE_FILE=$root/deploy/demo/people.json \
  UTILIS_PROCESSES_DIR=$root/deploy/processes \
    "$UTILIS_BIN_DIR/$service" >"$logs/$name.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 60); do
  ready=1
  for name in "${!health[@]}"; do curl -sf "http://127.0.0.1:${health[$name]}/health" >/dev/null || ready=0; done
  ((ready)) && break
  sleep 0.5
done

# The demo people are loaded beside the cartable's start-up: wait for the last of them (a
# sign-in before would count as a failed one).
for _ in $(seq 1 60); do
  [[ $(psql -h 127.0.0.1 -p "$UTILIS_PG_PORT" -U utilis -d cartable -tAc "SELECT count(*) FROM users WHERE username = 'admin'" 2>/dev/null) == 1 ]] && break
  sleep 0.5
done

failed() {
  echo "$1 failed; the services' logs:" >&2
  tail -n 30 "$logs"/*.log >&2
  exit 1
}
"$venv/bin/python" Tests/Contract/register_customer_test.py "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" || failed "the contract test"
"$venv/bin/python" Tests/System/customer_registration_test.py "http://127.0.0.1:$port" "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" \
  || failed "the customer registration test"
"$venv/bin/python" Tests/System/customer_processes_test.py "http://127.0.0.1:$port" "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" \
  "postgresql://utilis@127.0.0.1:$UTILIS_PG_PORT/orchestrator" || failed "the customer processes test"
"$venv/bin/python" Tests/System/tariff_pages_test.py "http://127.0.0.1:$port" "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" \
  || failed "the tariff pages test"
"$venv/bin/python" Tests/System/bill_dispute_test.py "http://127.0.0.1:$port" "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" \
  || failed "the bill dispute test"
"$venv/bin/python" Tests/System/billing_test.py "http://127.0.0.1:$port" "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" \
  || failed "the billing test"
"$venv/bin/python" Tests/System/reports_test.py "http://127.0.0.1:$port" "amqp://utilis:utilis@127.0.0.1:$UTILIS_AMQP_PORT/utilis" \
  || failed "the reports test"
"$venv/bin/python" Tests/Browser/cartable_flow.py "http://127.0.0.1:$port" "$root/test-results/screenshots" || failed "the browser test"
