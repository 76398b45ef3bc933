#!/usr/bin/env bash
# The compose set-up step: runs inside the broker's network namespace (network_mode service:rabbitmq), where
# RabbitMQ accepts guest from loopback. Creates vhost, policies and the three users (passwords from the compose
# secrets), then declares the topology as the admin, since producer and worker may not.
set -euo pipefail
vhost="${DP3Q_VHOST:-dp3q}"
export DP3Q_ADMIN_PASSWORD_FILE=/run/secrets/dp3q_admin_password
export DP3Q_PRODUCER_PASSWORD_FILE=/run/secrets/dp3q_producer_password
export DP3Q_WORKER_PASSWORD_FILE=/run/secrets/dp3q_worker_password
/opt/dp3q/broker/lab/setup-broker.sh --vhost "$vhost" --management http://127.0.0.1:15672
DP3Q_BROKER_PASSWORD_FILE="$DP3Q_ADMIN_PASSWORD_FILE" dp3q topology \
    --broker "amqp://dp3q-admin@127.0.0.1:5672/$vhost" --pool "${DP3Q_POOL:-default}"
