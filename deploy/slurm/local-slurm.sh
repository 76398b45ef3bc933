#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, from Debian's slurm-wlm and munge (apt-get install slurm-wlm munge),
# for trying deploy/slurm/ and for tests: its own munge socket and key, config, state and ports; controller and
# node talk over 127.0.0.1. Needs root (slurmd runs jobs as their users). It stops by itself after
# DP3Q_SLURM_TTL seconds (default 3600).
#
#   local-slurm.sh start    start munged, slurmctld and slurmd; prints the SLURM_CONF to export
#   local-slurm.sh stop     stop them (cancels running jobs first)
#   local-slurm.sh env      print 'export SLURM_CONF=...' for sbatch, srun, squeue, scancel
#
# Settings: DP3Q_SLURM_DIR (default ${TMPDIR:-/tmp}/dp3q-slurm), DP3Q_SLURM_PORT (slurmctld port, default 16817;
# slurmd uses PORT+1), DP3Q_SLURM_CPUS (default: nproc).
set -euo pipefail
dir="${DP3Q_SLURM_DIR:-${TMPDIR:-/tmp}/dp3q-slurm}"
port="${DP3Q_SLURM_PORT:-16817}"
cpus="${DP3Q_SLURM_CPUS:-$(nproc)}"
ttl="${DP3Q_SLURM_TTL:-3600}"
node="$(hostname -s)"
conf="$dir/slurm.conf"
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
die() { echo "local-slurm: $*" >&2; exit 1; }

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  for tool in munged slurmctld slurmd sinfo; do
    command -v "$tool" > /dev/null || die "$tool not found (Debian: apt-get install slurm-wlm munge)"
  done
  [ "$(id -u)" = 0 ] || die "slurmd must run as root"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 700 "$dir" "$dir/munge"
  if [ ! -s "$dir/munge/munge.key" ]; then
    head -c 1024 /dev/urandom > "$dir/munge/munge.key"
    chmod 400 "$dir/munge/munge.key"
  fi
  cat > "$conf" <<CONF
# written by local-slurm.sh: one node, controller and node on 127.0.0.1, nothing shared with a system SLURM
ClusterName=dp3qlocal
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
KillWait=30
MinJobAge=60
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  if ! alive "$dir/munge/munged.pid"; then
    munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
      --log-file="$dir/log/munged.log" --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed"
  fi
  alive "$dir/slurmctld.pid" || slurmctld -f "$conf" -i
  alive "$dir/slurmd.pid" || slurmd -f "$conf"
  local deadline=$((SECONDS + 60))
  until SLURM_CONF="$conf" sinfo -h -o '%t' 2>/dev/null | grep -q idle; do
    [ "$SECONDS" -lt "$deadline" ] || die "the node did not come up within 60 s; see $dir/log/"
    sleep 0.5
  done
  if [ "$ttl" != 0 ] && ! alive "$dir/watchdog.pid"; then
    setsid nohup bash -c "sleep $ttl; exec '$self' stop" > /dev/null 2>&1 < /dev/null &
    echo $! > "$dir/watchdog.pid"
  fi
  echo "SLURM node $node up (partition local, $cpus CPUs); it stops by itself in ${ttl}s. Now:"
  echo "export SLURM_CONF=$conf"
}

stop() {
  if [ -f "$conf" ] && alive "$dir/slurmctld.pid"; then
    SLURM_CONF="$conf" scancel --partition=local 2>/dev/null || true
  fi
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if alive "$pidfile"; then
      pid="$(cat "$pidfile")"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  done
  if [ -s "$dir/watchdog.pid" ]; then
    pid="$(cat "$dir/watchdog.pid")"
    rm -f "$dir/watchdog.pid"
    [ "$pid" = "$PPID" ] || kill -- "-$pid" 2>/dev/null || true
  fi
  echo "local SLURM stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
