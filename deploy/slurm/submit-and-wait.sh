#!/usr/bin/env bash
# The pipeline side of a step: publish every chunk task upfront, then block on the barrier; exit 0 only when every
# chunk succeeded (then merge the per-chunk outputs). Set DP3Q_RESUME=1 to only wait, for a batch already published
# (e.g. by a job that hit its time limit).
#
#   deploy/slurm/submit-and-wait.sh BATCH CHUNKS MS WORKDIR [NTIMES]
set -euo pipefail
batch="${1:?usage: submit-and-wait.sh BATCH CHUNKS MS WORKDIR [NTIMES]}"
chunks="${2:?chunks}"
ms="${3:?measurement set}"
work="${4:?work directory}"
ntimes="${5:-75}"
dp3q="${DP3Q:-$(cd "$(dirname "$0")/../.." && pwd)/bin/dp3q}"

if [ "${DP3Q_RESUME:-0}" != 1 ]; then
  "$dp3q" submit --batch "$batch" --chunks "$chunks" --ntimes "$ntimes" \
      --arg "msin=$ms" --arg "steps=[solve]" --arg "solve.type=ddecal" \
      --arg "solve.h5parm=$work/out_{chunk}.h5parm" --arg "msout=" ${DP3Q_EXTRA_ARGS:-}
fi
"$dp3q" wait --batch "$batch" --progress lines
echo "$(date -Is) all $chunks chunks of $batch succeeded: merge $work/out_*.h5parm now"
