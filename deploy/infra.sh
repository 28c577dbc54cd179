#!/usr/bin/env bash
# Starts and stops the local RabbitMQ and PostgreSQL of one Utilis instance, in a folder of the
# checkout, listening on loopback only, without systemd.
#
#   deploy/infra.sh start|stop|status|env [broker|database|all]
#
# Instance settings (defaults are the development instance that `make run` uses):
#   UTILIS_RUN_DIR     folder for data and logs          (.run/dev)
#   UTILIS_AMQP_PORT   RabbitMQ AMQP port                (5672)
#   UTILIS_DIST_PORT   RabbitMQ Erlang distribution port (25672)
#   UTILIS_MGMT_PORT   management UI port, 0 for none    (15672)
#   UTILIS_NODE        RabbitMQ node name                (utilis@localhost)
#   UTILIS_PG_PORT     PostgreSQL port                   (5433)
#   UTILIS_PG_FAST     1: fsync off, for tests only      (0)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
run_dir=$(mkdir -p "${UTILIS_RUN_DIR:-$root/.run/dev}" && cd "${UTILIS_RUN_DIR:-$root/.run/dev}" && pwd)
amqp_port=${UTILIS_AMQP_PORT:-5672}
dist_port=${UTILIS_DIST_PORT:-25672}
mgmt_port=${UTILIS_MGMT_PORT:-15672}
node=${UTILIS_NODE:-utilis@localhost}
pg_port=${UTILIS_PG_PORT:-5433}
pg_fast=${UTILIS_PG_FAST:-0}
pg_bin=/usr/lib/postgresql/15/bin
rabbit_bin=/usr/lib/rabbitmq/bin
# Every service has its own broker user and database role; `utilis` is the operators' account.
services=(registration orchestrator cartable tariff ledger billing reports)
accounts=(utilis "${services[@]}")

rabbit_env() {
  export RABBITMQ_NODENAME=$node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp_port
  export RABBITMQ_DIST_PORT=$dist_port ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_MNESIA_BASE=$run_dir/rabbitmq/mnesia RABBITMQ_LOG_BASE=$run_dir/rabbitmq/log
  export RABBITMQ_PID_FILE=$run_dir/rabbitmq/rabbitmq.pid
  export RABBITMQ_ENABLED_PLUGINS_FILE=$run_dir/rabbitmq/enabled_plugins
  export RABBITMQ_CONFIG_FILE=$run_dir/rabbitmq/rabbitmq.conf
  export HOME=$run_dir/rabbitmq
}

# The broker's users, vhosts and permissions, loaded at boot so the `guest` account never exists.
# `utilis-isolated` is for tests that run several services together (Billing's, with a Ledger):
# there they meet no other suite's replicas on the same queue names. `utilis-reports` is the
# Reports tests': Reports follows every service's events, and must see only the test's own.
# `utilis-ledger` is the Ledger tests': the Ledger follows Registration's imports, which other
# suites make by the thousand, and its tests wait for its queues to empty.
write_definitions() {
  python3 - "$run_dir/rabbitmq/definitions.json" "${accounts[@]}" <<'PY'
import base64, hashlib, json, os, sys
path, users = sys.argv[1], sys.argv[2:]
def password_hash(password):
    salt = os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()
definitions = {
    "users": [{"name": u, "password_hash": password_hash(u), "hashing_algorithm": "rabbit_password_hashing_sha256",
               "tags": ["administrator"] if u == "utilis" else []} for u in users],
    "vhosts": [{"name": "utilis"}, {"name": "utilis-isolated"}, {"name": "utilis-reports"}, {"name": "utilis-ledger"}],
    "permissions": [{"user": u, "vhost": v, "configure": ".*", "write": ".*", "read": ".*"} for u in users for v in ("utilis", "utilis-isolated", "utilis-reports", "utilis-ledger")],
}
json.dump(definitions, open(path, "w"), indent=1)
PY
}

start_broker() {
  rabbit_env
  mkdir -p "$run_dir/rabbitmq/log" "$run_dir/rabbitmq/mnesia"
  if [[ -f $RABBITMQ_PID_FILE ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; then
    echo "RabbitMQ already running on 127.0.0.1:$amqp_port"; return
  fi
  if [[ $mgmt_port != 0 ]]; then echo "[rabbitmq_management]." >"$RABBITMQ_ENABLED_PLUGINS_FILE"; else echo "[]." >"$RABBITMQ_ENABLED_PLUGINS_FILE"; fi
  write_definitions
  {
    echo "listeners.tcp.default = 127.0.0.1:$amqp_port"
    echo "loopback_users = none"
    echo "definitions.import_backend = local_filesystem"
    echo "definitions.local.path = $run_dir/rabbitmq/definitions.json"
    [[ $mgmt_port != 0 ]] && echo "management.tcp.ip = 127.0.0.1" && echo "management.tcp.port = $mgmt_port"
    echo "log.console = false"
  } >"$RABBITMQ_CONFIG_FILE"
  "$rabbit_bin/rabbitmq-server" -detached >>"$run_dir/rabbitmq/log/start.log" 2>&1
  "$rabbit_bin/rabbitmqctl" wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
  echo "RabbitMQ running on 127.0.0.1:$amqp_port (node $node, vhost utilis)"
}

stop_broker() {
  rabbit_env
  if [[ -f $RABBITMQ_PID_FILE ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; then
    "$rabbit_bin/rabbitmqctl" stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || kill "$(cat "$RABBITMQ_PID_FILE")" || true
    echo "RabbitMQ stopped"
  fi
  rm -f "$RABBITMQ_PID_FILE"
  # epmd serves every node on the machine: end it only when no node is left.
  if ! /usr/lib/erlang/bin/epmd -names 2>/dev/null | grep -q "^name "; then /usr/lib/erlang/bin/epmd -kill >/dev/null 2>&1 || true; fi
}

pg() { runuser -u postgres -- "$pg_bin/$1" "${@:2}"; }

start_database() {
  local data=$run_dir/postgres
  mkdir -p "$data" && chown postgres:postgres "$data"
  if [[ ! -f $data/data/PG_VERSION ]]; then
    # Text compares as bytes (collation C): with C.UTF-8 PostgreSQL 15 calls strcoll for every
    # comparison in a text index (a tenth of its CPU in the ledger's postings), and glibc's C.UTF-8
    # orders by code point, which is the bytes' order anyway. Character classes stay Unicode.
    pg initdb -D "$data/data" -U utilis -A trust -E UTF8 --locale=C.UTF-8 --lc-collate=C >"$data/initdb.log"
  fi
  if pg pg_ctl -D "$data/data" status >/dev/null 2>&1; then
    echo "PostgreSQL already running on 127.0.0.1:$pg_port"
  else
    local opts="-p $pg_port -k $data -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB"
    [[ $pg_fast == 1 ]] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    pg pg_ctl -D "$data/data" -l "$data/server.log" -w -o "$opts" start >/dev/null
    echo "PostgreSQL running on 127.0.0.1:$pg_port$([[ $pg_fast == 1 ]] && echo ' (fsync off, for tests)')"
  fi
  for service in "${services[@]}"; do
    psql -h 127.0.0.1 -p "$pg_port" -U utilis -d postgres -v ON_ERROR_STOP=1 -q -X -v name="$service" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('CREATE DATABASE %I OWNER %I TEMPLATE template0 ENCODING ''UTF8'' LC_COLLATE ''C'' LC_CTYPE ''C.UTF-8''', :'name', :'name') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'name') \gexec
SQL
  done
}

stop_database() {
  local data=$run_dir/postgres
  if [[ -f $data/data/PG_VERSION ]] && pg pg_ctl -D "$data/data" status >/dev/null 2>&1; then
    pg pg_ctl -D "$data/data" -m fast -w stop >/dev/null
    echo "PostgreSQL stopped"
  fi
}

# The variables services, tests and the `utilis` command read to find this instance.
print_env() {
  echo "export UTILIS_AMQP_URL=amqp://utilis:utilis@127.0.0.1:$amqp_port/utilis"
  echo "export UTILIS_DATABASE_URL=postgresql://utilis@127.0.0.1:$pg_port/postgres"
  echo "export UTILIS_AMQP_PORT=$amqp_port UTILIS_PG_PORT=$pg_port UTILIS_RUN_DIR=$run_dir UTILIS_NODE=$node UTILIS_DIST_PORT=$dist_port UTILIS_MGMT_PORT=$mgmt_port"
}

action=${1:-status}
what=${2:-all}
case $action in
  start)
    "$here/install.sh"
    [[ $what == all || $what == database ]] && start_database
    [[ $what == all || $what == broker ]] && start_broker
    ;;
  stop)
    [[ $what == all || $what == broker ]] && stop_broker
    [[ $what == all || $what == database ]] && stop_database
    ;;
  status)
    rabbit_env
    if [[ -f $RABBITMQ_PID_FILE ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; then echo "broker: running on $amqp_port"; else echo "broker: stopped"; fi
    if pg pg_ctl -D "$run_dir/postgres/data" status >/dev/null 2>&1; then echo "database: running on $pg_port"; else echo "database: stopped"; fi
    ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env [broker|database|all]" >&2; exit 2 ;;
esac
exit 0
