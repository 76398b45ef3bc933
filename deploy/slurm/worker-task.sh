#!/usr/bin/env bash
# One node's part of a dp3q SLURM job, run by srun on every node (see dp3q-workers.sbatch and pipeline.sbatch).
#
#   worker-task.sh WORKER-OPTIONS...   run dp3q-worker with these options; its pid goes to a node-local file
#   worker-task.sh --drain             send TERM to this job's worker on this node: it drains
#
# Why not just signal the step: SLURM delivers a step signal (scancel --signal, or TERM to srun) to every process
# of the step, the running DP3 chunks included, which would then die mid-chunk. Draining needs TERM to reach the
# worker alone; the batch script runs '--drain' on every node with 'srun --overlap'.
set -euo pipefail
home="$(cd "$(dirname "$0")/../.." && pwd)"
pidfile="${TMPDIR:-/tmp}/dp3q-worker.${SLURM_JOB_ID:-nojob}.pid"

if [ "${1:-}" = --drain ]; then
  if [ -s "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null; then
    echo "$(hostname -s): dp3q-worker $(cat "$pidfile") draining"
  else
    echo "$(hostname -s): no dp3q-worker of job ${SLURM_JOB_ID:-?} running"
  fi
  exit 0
fi

"$home/bin/dp3q-worker" "$@" &
worker=$!
echo "$worker" > "$pidfile"
trap 'rm -f "$pidfile"' EXIT
status=0
wait "$worker" || status=$?
exit "$status"
