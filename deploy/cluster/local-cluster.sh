#!/usr/bin/env bash
# A throwaway RabbitMQ cluster on this machine, from the installed rabbitmq-server (Debian: apt-get install
# rabbitmq-server), for trying dp3q's failover and for tests. Loopback only, its own node names, ports, Erlang
# cookie, epmd and data directory, so it never touches a RabbitMQ already running here. It stops by itself after
# DP3Q_CLUSTER_TTL seconds.
#
#   local-cluster.sh start          start N nodes and join them into one cluster (prints the broker URI)
#   local-cluster.sh stop           stop every node, the watchdog and the private epmd; delete nothing
#   local-cluster.sh status         nodes, ports and whether each runs
#   local-cluster.sh uri            the broker URI naming every node: amqp://guest:guest@127.0.0.1:5701,...:5703/
#   local-cluster.sh stop-node I    stop node I (1..N) the way a machine shutdown does
#   local-cluster.sh start-node I   start node I again; it rejoins the cluster
#   local-cluster.sh leader QUEUE [VHOST]
#                                   the index of the node holding QUEUE's leader (quorum queues and streams)
#   local-cluster.sh ctl I ARGS...  rabbitmqctl ARGS against node I
#
# Settings (environment):
#   DP3Q_CLUSTER_DIR    state: data, logs, config, cookie (default ${TMPDIR:-/tmp}/dp3q-cluster-$(id -un))
#   DP3Q_CLUSTER_NODES  how many nodes (default 3; 1 gives a single scratch node)
#   DP3Q_CLUSTER_PORT   AMQP port of node 1 (default 5701). Node I uses PORT+I-1 for AMQP, PORT+100+I-1 for TLS,
#                       PORT+10000+I-1 for management, PORT+20000+I-1 for Erlang distribution; epmd PORT+30000
#   DP3Q_CLUSTER_NAME   node name prefix (default dp3q-c): nodes dp3q-c1@localhost, dp3q-c2@localhost, ...
#   DP3Q_CLUSTER_TTL    seconds until the cluster stops by itself (default 3600; 0 never)
#   DP3Q_CLUSTER_TLS_DIR  a directory with ca.pem, server.pem and server.key: each node also listens for amqps://
#                       on PORT+100+I-1 (verify_peer; a client certificate is optional unless
#                       DP3Q_CLUSTER_TLS_CLIENT_CERT=required)
#   DP3Q_CLUSTER_MANAGEMENT  1 (default) enables the management plugin on every node; 0 starts faster
set -euo pipefail

dir="${DP3Q_CLUSTER_DIR:-${TMPDIR:-/tmp}/dp3q-cluster-$(id -un)}"
nodes="${DP3Q_CLUSTER_NODES:-3}"
port="${DP3Q_CLUSTER_PORT:-5701}"
name="${DP3Q_CLUSTER_NAME:-dp3q-c}"
ttl="${DP3Q_CLUSTER_TTL:-3600}"
tls_dir="${DP3Q_CLUSTER_TLS_DIR:-}"
management="${DP3Q_CLUSTER_MANAGEMENT:-1}"
epmd_port=$((port + 30000))
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"

if [ -n "${RABBITMQ_BIN:-}" ]; then
  bin="$RABBITMQ_BIN"
elif [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  bin=/usr/lib/rabbitmq/bin            # Debian: the real scripts, not the wrappers that switch user
else
  bin="$(dirname "$(command -v rabbitmq-server || echo /nonexistent/rabbitmq-server)")"
fi

die() { echo "local-cluster: $*" >&2; exit 1; }
node_name() { echo "${name}$1@localhost"; }
amqp_port() { echo $((port + $1 - 1)); }
tls_port() { echo $((port + 100 + $1 - 1)); }
mgmt_port() { echo $((port + 10000 + $1 - 1)); }
dist_port() { echo $((port + 20000 + $1 - 1)); }
node_dir() { echo "$dir/node$1"; }

# The environment every rabbitmq-server and rabbitmqctl call of node $1 runs with: nothing from /etc/rabbitmq.
node_env() {
  local i="$1" d
  d="$(node_dir "$i")"
  export HOME="$dir" \
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$epmd_port" \
    RABBITMQ_NODENAME="$(node_name "$i")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(amqp_port "$i")" RABBITMQ_DIST_PORT="$(dist_port "$i")" \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/rabbitmq.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  unset ERL_FLAGS RABBITMQ_SERVER_START_ARGS
}

ctl() {
  local i="$1"; shift
  ( node_env "$i"; "$bin/rabbitmqctl" -n "$(node_name "$i")" "$@" )
}

pid_of() {
  local f
  f="$(node_dir "$1")/rabbitmq.pid"
  [ -s "$f" ] && cat "$f"
}

running() {
  local pid
  pid="$(pid_of "$1" || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

write_config() {
  local i="$1" d
  d="$(node_dir "$i")"
  mkdir -p "$d/mnesia" "$d/log"
  : > "$d/rabbitmq-env.conf"
  if [ "$management" = 1 ]; then
    echo "[rabbitmq_management]." > "$d/enabled_plugins"
  else
    echo "[]." > "$d/enabled_plugins"
  fi
  {
    echo "# written by local-cluster.sh for node $(node_name "$i")"
    echo "listeners.tcp.1 = 127.0.0.1:$(amqp_port "$i")"
    echo "management.tcp.ip = 127.0.0.1"
    echo "management.tcp.port = $(mgmt_port "$i")"
    echo "loopback_users.guest = true"
    echo "consumer_timeout = 86400000"
    echo "disk_free_limit.absolute = 50MB"
    echo "cluster_partition_handling = pause_minority"
    if [ -n "$tls_dir" ]; then
      echo "listeners.ssl.1 = 127.0.0.1:$(tls_port "$i")"
      echo "ssl_options.cacertfile = $tls_dir/ca.pem"
      echo "ssl_options.certfile = $tls_dir/server.pem"
      echo "ssl_options.keyfile = $tls_dir/server.key"
      echo "ssl_options.verify = verify_peer"
      if [ "${DP3Q_CLUSTER_TLS_CLIENT_CERT:-optional}" = required ]; then
        echo "ssl_options.fail_if_no_peer_cert = true"
      else
        echo "ssl_options.fail_if_no_peer_cert = false"
      fi
    fi
  } > "$d/rabbitmq.conf"
}

start_node() {
  local i="$1" d pid
  d="$(node_dir "$i")"
  running "$i" && return 0
  [ -f "$d/rabbitmq.conf" ] || write_config "$i"
  (
    node_env "$i"
    cd "$d"
    setsid nohup "$bin/rabbitmq-server" > "$d/log/console.log" 2>&1 < /dev/null &
    echo $! > "$d/rabbitmq.pid"
  )
  pid="$(pid_of "$i")"
  local deadline=$((SECONDS + 120))
  # the CLI cannot reach a node before it registered with epmd, so await_startup is retried
  until ctl "$i" -q --timeout 10 await_startup > /dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "node $(node_name "$i") did not start; see $d/log/console.log"
    [ "$SECONDS" -lt "$deadline" ] || die "node $(node_name "$i") did not finish booting within 120 s; see $d/log/"
    sleep 1
  done
}

start_watchdog() {
  [ "$ttl" = 0 ] && return 0
  setsid nohup bash -c "sleep $ttl; exec '$self' stop" > "$dir/watchdog.log" 2>&1 < /dev/null &
  echo $! > "$dir/watchdog.pid"
}

cmd_uri() {
  local hosts="" i
  for i in $(seq 1 "$nodes"); do hosts="${hosts:+$hosts,}127.0.0.1:$(amqp_port "$i")"; done
  echo "amqp://guest:guest@$hosts/"
}

cmd_start() {
  command -v "$bin/rabbitmq-server" > /dev/null || die "rabbitmq-server not found (Debian: apt-get install rabbitmq-server)"
  mkdir -p "$dir"
  if [ ! -s "$dir/.erlang.cookie" ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/.erlang.cookie")
    chmod 400 "$dir/.erlang.cookie"
  fi
  for i in $(seq 1 "$nodes"); do
    if [ ! -f "$(node_dir "$i")/rabbitmq.conf" ]; then write_config "$i"; fi
  done
  start_node 1
  for i in $(seq 2 "$nodes"); do
    local fresh=0
    [ -d "$(node_dir "$i")/mnesia/$(node_name "$i")" ] || fresh=1
    start_node "$i"
    if [ "$fresh" = 1 ]; then
      ctl "$i" -q stop_app > /dev/null
      ctl "$i" -q join_cluster "$(node_name 1)" > /dev/null
      ctl "$i" -q start_app > /dev/null
    fi
  done
  if [ ! -s "$dir/watchdog.pid" ] || ! kill -0 "$(cat "$dir/watchdog.pid")" 2>/dev/null; then
    start_watchdog
  fi
  echo "cluster of $nodes node(s) running; it stops by itself in ${ttl}s (0: never). Broker URI:"
  cmd_uri
}

cmd_stop() {
  local i pid
  for i in $(seq 1 "$nodes"); do
    running "$i" || continue
    pid="$(pid_of "$i")"
    ctl "$i" -q stop > /dev/null 2>&1 || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  # the private epmd the first node started
  if [ -x "$(dirname "$(readlink -f "$(command -v erl || echo /usr/bin/erl)")")/epmd" ] || command -v epmd > /dev/null; then
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$epmd_port" epmd -kill > /dev/null 2>&1 || true
  fi
  if [ -s "$dir/watchdog.pid" ]; then
    pid="$(cat "$dir/watchdog.pid")"
    rm -f "$dir/watchdog.pid"
    if [ "$pid" != "$$" ] && [ "$pid" != "$PPID" ]; then kill -- "-$pid" 2>/dev/null || true; fi
  fi
  echo "cluster stopped (state kept in $dir)"
}

cmd_status() {
  local i
  for i in $(seq 1 "$nodes"); do
    local state=stopped
    running "$i" && state="running (pid $(pid_of "$i"))"
    printf '%-22s amqp 127.0.0.1:%s%s  management :%s  %s\n' "$(node_name "$i")" "$(amqp_port "$i")" \
      "$([ -n "$tls_dir" ] && echo "  amqps :$(tls_port "$i")")" "$(mgmt_port "$i")" "$state"
  done
  echo "URI: $(cmd_uri)"
}

cmd_leader() {
  local queue="$1" vhost="${2:-/}" i leader
  for i in $(seq 1 "$nodes"); do
    running "$i" || continue
    leader="$(ctl "$i" -q list_queues -p "$vhost" name leader --no-table-headers 2>/dev/null \
      | awk -v q="$queue" '$1 == q { print $2 }')"
    [ -n "$leader" ] || continue
    for j in $(seq 1 "$nodes"); do
      if [ "$(node_name "$j")" = "$leader" ]; then echo "$j"; return 0; fi
    done
  done
  die "no running node knows the leader of queue $queue in vhost $vhost"
}

check_index() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$nodes" ] || die "node index must be 1..$nodes"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  uri) cmd_uri ;;
  stop-node)
    check_index "${2:-}"
    pid="$(pid_of "$2" || true)"
    ctl "$2" -q stop > /dev/null
    for _ in $(seq 1 60); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    echo "node $(node_name "$2") stopped" ;;
  start-node) check_index "${2:-}"; start_node "$2"; echo "node $(node_name "$2") running" ;;
  leader) [ -n "${2:-}" ] || die "usage: leader QUEUE [VHOST]"; cmd_leader "$2" "${3:-/}" ;;
  ctl) check_index "${2:-}"; i="$2"; shift 2; ctl "$i" "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
