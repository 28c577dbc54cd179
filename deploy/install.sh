#!/usr/bin/env bash
# Installs what Utilis needs from Debian's packages, once: the broker, the database and the
# C libraries the Swift code links. Quiet when everything is there.
set -euo pipefail
need=()
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || need+=(rabbitmq-server)
[[ -f /usr/include/amqp.h ]] || need+=(librabbitmq-dev)
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || need+=(postgresql-15)
[[ -f /usr/include/postgresql/libpq-fe.h ]] || need+=(libpq-dev)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v python3 >/dev/null || need+=(python3)
# `utilis bench bpmn` runs SpiffWorkflow in a virtual environment for comparison.
python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian's packages try to start their own servers; ours run from the checkout instead.
  service rabbitmq-server stop >/dev/null 2>&1 || true
  pkill -f "beam.*rabbit@" >/dev/null 2>&1 || true
fi
