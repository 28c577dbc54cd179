#!/usr/bin/env bash
# The cartable in a real browser: headless Chromium (Debian's chromium and chromium-driver)
# driven by Selenium (from PyPI, in a virtual environment of its own). Starts the orchestrator
# and the cartable against the instance deploy/test.sh started, with the demo people and the
# models of deploy/processes, runs Tests/Browser/cartable_flow.py, and stops them again.
# Screenshots go to test-results/screenshots/.
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
venv=$root/.run/venv-browser
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "selenium==4.27.1"
fi

port=${UTILIS_BROWSER_PORT:-8090}
logs=$UTILIS_RUN_DIR/browser-logs
mkdir -p "$logs"
pids=()
stop() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
declare -A health=([orchestrator]=9112 [cartable]=9113)
for service in Orchestrator Cartable; do
  name=$(echo "$service" | tr '[:upper:]' '[:lower:]')
  UTILIS_AMQP_URL=amqp://$name:$name@127.0.0.1:$UTILIS_AMQP_PORT/utilis \
  UTILIS_DATABASE_URL=postgresql://$name@127.0.0.1:$UTILIS_PG_PORT/$name \
  UTILIS_HTTP_PORT=${health[$name]} UTILIS_GATEWAY_PORT=$port UTILIS_PEOPLE_FILE=$root/deploy/demo/people.json \
  UTILIS_PROCESSES_DIR=$root/deploy/processes \
    "$UTILIS_BIN_DIR/$service" >"$logs/$name.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:${health[cartable]}/health" >/dev/null && curl -sf "http://127.0.0.1:${health[orchestrator]}/health" >/dev/null && break
  sleep 0.5
done

if ! "$venv/bin/python" Tests/Browser/cartable_flow.py "http://127.0.0.1:$port" "$root/test-results/screenshots"; then
  echo "the browser test failed; the services' logs:" >&2
  tail -n 30 "$logs"/*.log >&2
  exit 1
fi
