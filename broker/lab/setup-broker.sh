#!/usr/bin/env bash
# Sets up a RabbitMQ broker for dp3q on a lab server, in one command, idempotently: a vhost, the policies in
# broker/policies.json, and three users with least privilege on that vhost only:
#
#   <prefix>-producer  publish tasks, read the event stream (wait, status), read and replay failed tasks, cancel
#   <prefix>-worker    consume its pools' task queues, publish events, failed records and announcements, read
#                      the control log; cannot publish tasks, cannot read the event stream or the failed queue
#   <prefix>-admin     everything on the vhost (declares the topology with dp3q topology), plus the
#                      policymaker and monitoring tags (management UI)
#
# Usage: broker/lab/setup-broker.sh [--vhost NAME] [--management URL] [--prefix NAME] [--remove] [--print-permissions]
#   --vhost NAME          the vhost dp3q uses (default dp3q); clients name it in their URI: amqp://user@host/NAME
#   --management URL      the management API (default http://127.0.0.1:15672)
#   --prefix NAME         user names are NAME-admin, NAME-producer, NAME-worker (default dp3q)
#   --remove              delete those three users instead (the vhost and its data stay)
#   --print-permissions   print the permission patterns of each role and exit
#
# Passwords never go on a command line or into a file of this repository. Each role's password comes from
# DP3Q_<ROLE>_PASSWORD or from the file named by DP3Q_<ROLE>_PASSWORD_FILE (ROLE: ADMIN, PRODUCER, WORKER); a role
# without one is skipped, and said so. The management API login is DP3Q_SETUP_USER (default guest) with
# DP3Q_SETUP_PASSWORD or DP3Q_SETUP_PASSWORD_FILE (default guest, which RabbitMQ accepts from the broker host only);
# DP3Q_SETUP_CA_FILE is the CA for an https:// management URL.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vhost=dp3q
management=http://127.0.0.1:15672
prefix=dp3q
mode=setup

# Permission patterns. RabbitMQ checks configure to declare, write on the exchange to publish, read on the queue
# to consume or get, and write on the queue plus read on the exchange to bind. Producer and worker get no configure
# at all: they cannot create or delete queues; they find the objects the admin declared once with 'dp3q topology'
# (and declare them themselves only where they may). Why each name is there:
#   dp3q.tasks, dp3q.tasks.<pool>        task exchange and pool queues (write on a queue only allows binding it)
#   dp3q.events, dp3q.events.in          event stream and the exchange events are published to
#   dp3q.failed, dp3q.failed.in          failed queue and the exchange failed records are published to
#   dp3q.workers, dp3q.workers.in        worker announcements (status) and their exchange; status also appends a
#                                        catch-up marker there, as it does to the event stream, and the producer's
#                                        'dp3q allocate' announces its allocations and resume requests there (it
#                                        reads queue depths with passive declares, as status does)
#   dp3q.batches, dp3q.batches.in        the batch index (where each batch begins in dp3q.events); submit and workers
#                                        append to it, readers (wait, status, submit) read it and now and then
#                                        append a summary of it
#   dp3q.control, dp3q.control.log       cancel broadcasts and the stream that keeps them for workers
#   dp3q.claims, dp3q.claims.in          workers' claims on the chunks they run (a run outlives a lost connection);
#                                        workers append and read, submit only binds it (declaring the topology)
#   dp3q.dead-letter                     where task queues dead-letter; workers move its messages on to dp3q.failed
#   dp3q.retry.<pool>.<ms>ms             delay queues of retried attempts, declared by workers on demand; a worker
#   dp3q.retry.in, dp3q.retry.out        publishes a retried task to dp3q.retry.in, the delay queue dead-letters it
#                                        back to its pool through dp3q.retry.out (RabbitMQ requires write on a
#                                        queue's dead-letter exchange to declare it: that is why not dp3q.tasks)
# Nobody but the admin gets write on the default exchange (amq.default): it allows publishing to every queue.
pools='tasks\.[A-Za-z0-9._-]+'
delays='retry\.[A-Za-z0-9._-]+\.[0-9]+ms'                        # delay queues: dp3q.retry.<pool>.<ms>ms
bound="events|failed|workers|batches|control\.log|claims|$pools"              # queues the roles bind (at start)
sources="tasks|events\.in|failed\.in|workers\.in|batches\.in|claims\.in|control|retry\.out"   # exchanges they bind from
worker_configure="^dp3q\.$delays\$"
worker_write="^dp3q\.(events\.in|failed\.in|workers\.in|batches\.in|claims\.in|retry\.in|retry\.out|$bound|$delays)\$"
worker_read="^dp3q\.($sources|retry\.in|$pools|$delays|dead-letter|control\.log|claims)\$"
producer_configure='^$'
producer_write="^dp3q\.(tasks|events\.in|workers\.in|batches\.in|control|$bound)\$"
producer_read="^dp3q\.($sources|events|failed|workers|batches)\$"
admin_configure='.*'
admin_write='.*'
admin_read='.*'

die() { echo "setup-broker: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --vhost) vhost="${2:?--vhost needs a name}"; shift 2 ;;
    --management) management="${2:?--management needs a URL}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a name}"; shift 2 ;;
    --remove) mode=remove; shift ;;
    --print-permissions) mode=print; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
management="${management%/}"

if [ "$mode" = print ]; then
  for role in producer worker admin; do
    c="${role}_configure"; w="${role}_write"; r="${role}_read"
    printf '%s-%s\n  configure %s\n  write     %s\n  read      %s\n' "$prefix" "$role" "${!c}" "${!w}" "${!r}"
  done
  exit 0
fi

command -v curl > /dev/null || die "curl is needed (Debian: apt-get install curl)"

secret() {  # secret NAME: the value of $NAME, else the content of the file named by $NAME_FILE
  local var="$1" file_var="${1}_FILE"
  if [ -n "${!var:-}" ]; then
    printf '%s' "${!var}"
  elif [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || die "$file_var names ${!file_var}, which cannot be read"
    tr -d '\r\n' < "${!file_var}"
  fi
}

json_string() {  # a JSON string literal of $1
  local s="$1"
  case "$s" in *[$'\x01'-$'\x1f']*) die "a password or name contains a control character" ;; esac
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

urlenc() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in [A-Za-z0-9._~-]) out+="$c" ;; *) out+="$(printf '%%%02X' "'$c")" ;; esac
  done
  printf '%s' "$out"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
setup_user="${DP3Q_SETUP_USER:-guest}"
setup_password="$(secret DP3Q_SETUP_PASSWORD)"
setup_password="${setup_password:-guest}"
host="$(printf '%s' "$management" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')"
# the login goes to curl in a netrc file, not on its command line where ps would show it
printf 'machine %s login %s password %s\n' "$host" "$setup_user" "$setup_password" > "$work/netrc"
curl_tls=()
[ -n "${DP3Q_SETUP_CA_FILE:-}" ] && curl_tls=(--cacert "$DP3Q_SETUP_CA_FILE")

api() {  # api METHOD PATH [BODY]: the body goes through stdin; fails with the broker's answer
  local method="$1" path="$2" body="${3:-}" code
  code="$(printf '%s' "$body" | curl -sS "${curl_tls[@]}" --netrc-file "$work/netrc" -o "$work/answer" \
    -w '%{http_code}' -X "$method" -H 'content-type: application/json' --data-binary @- "$management$path")" \
    || die "cannot reach the management API at $management"
  case "$code" in
    2??) return 0 ;;
    404) [ "$method" = DELETE ] && return 0 ;;
  esac
  die "$method $path: HTTP $code $(head -c 300 "$work/answer")"
}

v="$(urlenc "$vhost")"
if [ "$mode" = remove ]; then
  for role in producer worker admin; do
    api DELETE "/api/users/$(urlenc "$prefix-$role")"
    echo "user $prefix-$role removed"
  done
  exit 0
fi

api PUT "/api/vhosts/$v" '{"description":"dp3q tasks, events and failed records"}'
echo "vhost $vhost ready"
api POST "/api/definitions/$v" "$(cat "$here/../policies.json")"
echo "policies of broker/policies.json applied to vhost $vhost"

tags_producer=""
tags_worker=""
tags_admin="policymaker,monitoring"
created=0
for role in producer worker admin; do
  upper="$(printf '%s' "$role" | tr '[:lower:]' '[:upper:]')"
  password="$(secret "DP3Q_${upper}_PASSWORD")"
  user="$prefix-$role"
  if [ -z "$password" ]; then
    echo "user $user skipped: set DP3Q_${upper}_PASSWORD or DP3Q_${upper}_PASSWORD_FILE to create it"
    continue
  fi
  tags_var="tags_$role"
  api PUT "/api/users/$(urlenc "$user")" "{\"password\":$(json_string "$password"),\"tags\":$(json_string "${!tags_var}")}"
  c="${role}_configure"; w="${role}_write"; r="${role}_read"
  api PUT "/api/permissions/$v/$(urlenc "$user")" \
    "{\"configure\":$(json_string "${!c}"),\"write\":$(json_string "${!w}"),\"read\":$(json_string "${!r}")}"
  echo "user $user ready: permissions on vhost $vhost only (see --print-permissions)"
  created=$((created + 1))
done
[ "$created" -gt 0 ] || die "no user created: give at least one role a password (see --help)"
echo "next, declare the topology once as the admin (producer and worker may not):"
echo "  DP3Q_BROKER_PASSWORD=... bin/dp3q topology --broker amqp://$prefix-admin@<host>:5672/$vhost --pool default"
