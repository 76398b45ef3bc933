#!/usr/bin/env bash
# Starts the local RabbitMQ node if it is not running, enables the management plugin and raises
# consumer_timeout on the running node (see rabbitmq.conf for why). Idempotent; for a developer
# machine or CI, not for a shared lab server (there, put rabbitmq.conf in place and restart).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
consumer_timeout_ms="${DP3Q_CONSUMER_TIMEOUT_MS:-86400000}"

if ! command -v rabbitmqctl >/dev/null; then
  echo "rabbitmqctl not found: install RabbitMQ (Debian: apt-get install rabbitmq-server)" >&2
  exit 1
fi
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  echo "starting RabbitMQ"
  rabbitmq-server -detached
fi
timeout 120 bash -c 'until rabbitmqctl -q await_startup >/dev/null 2>&1; do sleep 1; done'
rabbitmq-plugins -q enable rabbitmq_management >/dev/null
rabbitmqctl -q eval "application:set_env(rabbit, consumer_timeout, ${consumer_timeout_ms})." >/dev/null
timeout 60 bash -c 'until curl -fsS -o /dev/null -u guest:guest http://127.0.0.1:15672/api/overview; do sleep 1; done'
echo "RabbitMQ ready: $(rabbitmqctl -q eval 'rabbit_misc:version().' | tr -d '"'), management on :15672, consumer_timeout ${consumer_timeout_ms} ms"
