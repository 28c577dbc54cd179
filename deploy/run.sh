#!/usr/bin/env bash
# `make run`: the whole system on this machine. Starts RabbitMQ and PostgreSQL (deploy/infra.sh),
# builds, starts every service with its own broker user, database and health port, loads the
# demo data, and says where to go. `make stop` (deploy/run.sh stop) ends it all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export UTILIS_RUN_DIR=${UTILIS_RUN_DIR:-$root/.run/dev}
logs=$UTILIS_RUN_DIR/logs
pids=$UTILIS_RUN_DIR/pids
# Each service's executable target and its health port. Every capability adds its service here.
services=(Registration Orchestrator Cartable Tariff Ledger Billing Reports)
declare -A health_ports=([Registration]=9101 [Orchestrator]=9102 [Cartable]=9103 [Tariff]=9104 [Ledger]=9105 [Billing]=9106 [Reports]=9107)
gateway_port=${UTILIS_GATEWAY_PORT:-8080}

stop_services() {
  [[ -d $pids ]] || return 0
  local stopping=()
  for file in "$pids"/*.pid; do
    [[ -f $file ]] || continue
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; stopping+=("$pid"); fi
    rm -f "$file"
  done
  # Until they are gone: a service started again while the last one still holds its port fails.
  for pid in "${stopping[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}

case ${1:-start} in
  stop)
    stop_services
    deploy/infra.sh stop
    exit 0
    ;;
  start) ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

deploy/infra.sh start
# SwiftPM builds one --product per call.
for product in utilis "${services[@]}"; do swift build -c release --product "$product"; done
bin=$(swift build -c release --show-bin-path)
mkdir -p "$logs" "$pids"
stop_services
for service in "${services[@]}"; do
  name=$(echo "$service" | tr '[:upper:]' '[:lower:]')
  UTILIS_AMQP_URL=amqp://$name:$name@127.0.0.1:${UTILIS_AMQP_PORT:-5672}/utilis \
  UTILIS_DATABASE_URL=postgresql://$name@127.0.0.1:${UTILIS_PG_PORT:-5433}/$name \
  UTILIS_HTTP_PORT=${health_ports[$service]} \
  UTILIS_GATEWAY_PORT=$gateway_port UTILIS_PEOPLE_FILE=$root/deploy/demo/people.json \
    nohup "$bin/$service" >"$logs/$name.log" 2>&1 &
  echo $! >"$pids/$name.pid"
done

# The demo's records (tariffs, customers, meters in stock, two connected installations), sent
# over the broker as outside systems would (pika); and a real tariff from the URDB record.
venv=$root/.run/venv-demo
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import pika" 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q "pika==1.3.2"
fi
# Reports listens before the demo data is sent, so that its reports hold all of it.
for service in Registration Tariff Ledger Billing Reports; do
  for _ in $(seq 1 60); do curl -sf http://127.0.0.1:${health_ports[$service]}/health >/dev/null && break; sleep 0.5; done
done
"$venv/bin/python" deploy/demo/load_records.py "amqp://utilis:utilis@127.0.0.1:${UTILIS_AMQP_PORT:-5672}/utilis" deploy/demo
"$bin/utilis" tariff import --amqp-url "amqp://utilis:utilis@127.0.0.1:${UTILIS_AMQP_PORT:-5672}/utilis" --urdb deploy/tariffs/urdb-jackson-emc-residential-senior.json \
  --code JEMC-A-SENIOR --actor system:demo

cat <<TXT

Utilis is up on this machine.
  RabbitMQ            amqp://127.0.0.1:${UTILIS_AMQP_PORT:-5672}/utilis   management UI http://127.0.0.1:${UTILIS_MGMT_PORT:-15672}/ (user utilis, password utilis)
  PostgreSQL          127.0.0.1:${UTILIS_PG_PORT:-5433}, one database per service: psql -h 127.0.0.1 -p ${UTILIS_PG_PORT:-5433} -U utilis postgres
  Operators' command  $bin/utilis --help   (bpmn check/simulate, deploy, message, contracts, dead-letters, ping, tariff, reports, bench)
  Cartable (web UI)   http://127.0.0.1:$gateway_port/   sign in as maryam (a registration clerk): start a process, find a customer
                      (Rezaei and Pars Bakery are connected; meters in stock: deploy/demo/meters.json);
                      as omid (finance, a tariff manager): Tariffs: see, compare and publish versions, price a consumption;
                      a bill: find Rezaei or Pars Bakery, open a bill of the customer's page (printable, with its chart);
                      a bill dispute: maryam starts "Bill dispute" for Rezaei's subscription and November's bill,
                      omid investigates it with the account on the task's page;
                      as parisa (a manager): Reports: the dashboard of the shipped reports, build your own (table, chart, CSV), save and share it
  Cartable API        http://127.0.0.1:$gateway_port/api   (OpenAPI at /api/openapi.json) sign in: curl -d '{"username":"maryam","password":"demo"}' http://127.0.0.1:$gateway_port/api/session
                      demo users (password demo): maryam, sara (registration clerks), reza, ali (field technicians; ali supervises),
                      neda (meter lab), omid (billing, finance), parisa (manager), admin; see deploy/demo/people.json
  Services running    ${services[*]}; health at http://127.0.0.1:9101/health (registration), :9102 (orchestrator), :9103 (cartable), :9104 (tariff), :9105 (ledger),
                      :9106 (billing), :9107 (reports)
  Billing             the demo installations billed for October and November by two runs a cycle (Rezaei paid October's bill);
                      GET /bills/B2026-…; send readings (billing.record-readings), start a run (billing.start-run), cancel and rebill
                      (billing.cancel-bill); a flagged reading opens "Meter reading review" for omid
  Ledger              the bills' charges and the payment: GET /api/subscriptions/S-…/account; ask it over the broker:
                      ledger.get-balance, get-statement, get-open-items, get-ageing, find-debtors, check
  Reports             the read model of every service's events; GET /reports, POST /api/reports/run; rebuild it from its events:
                      $bin/utilis reports rebuild --reason "…"
  Tariffs             deploy/demo/tariffs.json and the URDB record deploy/tariffs/; price a year of load: $bin/utilis tariff price --urdb FILE --load FILE.csv
  Process models      deployed at start-up from deploy/processes/ (the nine customer processes; see the orchestrator's log);
                      add or change one: $bin/utilis deploy FILE.bpmn; a fee paid at the desk: $bin/utilis message connection-fee-paid --key SP-…
  Logs                $logs
Stop everything with: make stop
TXT
