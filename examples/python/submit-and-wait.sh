#!/usr/bin/env bash
# A pipeline step in shell: write one task per line (JSON, schemas/task.schema.json), publish them all with
# 'dp3q submit' (it validates the whole file first and exits 0 only when the broker confirmed every task), then
# block on the barrier with 'dp3q wait' before merging the per-chunk outputs.
#
#   DP3Q_BROKER=amqp://dp3q-producer@rabbit.lab:5672/selfcal DP3Q_BROKER_PASSWORD_FILE=~/.dp3q-password \
#       examples/python/submit-and-wait.sh cal-phase 10 /data/obs.ms /work
#
# Arguments: BATCH CHUNKS MS WORKDIR [NTIMES]. DP3Q names the dp3q command (default: dp3q on PATH, else bin/dp3q).
set -euo pipefail
batch="${1:?usage: submit-and-wait.sh BATCH CHUNKS MS WORKDIR [NTIMES]}"
chunks="${2:?chunks}"
ms="${3:?measurement set}"
work="${4:?work directory}"
ntimes="${5:-75}"
dp3q="${DP3Q:-$(command -v dp3q || echo "$(cd "$(dirname "$0")/../.." && pwd)/bin/dp3q")}"

tasks="$(mktemp)"
trap 'rm -f "$tasks"' EXIT
for ((i = 0; i < chunks; i++)); do
  printf '{"batch":"%s","chunk":%d,"chunks":%d,"args":["msin=%s","msin.starttimeslot=%d","msin.ntimes=%d","steps=[solve]","solve.type=ddecal","solve.h5parm=%s/out_%d.h5parm","msout="],"labels":{"step":"shell-example"}}\n' \
    "$batch" "$i" "$chunks" "$ms" $((i * ntimes)) "$ntimes" "$work" "$i"
done > "$tasks"

"$dp3q" submit "$tasks"
"$dp3q" wait --batch "$batch" --progress lines
echo "all $chunks chunks of $batch done: merge $work/out_*.h5parm now"
