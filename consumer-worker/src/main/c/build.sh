#!/bin/sh
# Builds the dp3q-exec helper into $1/<os>-<arch>/ when a C compiler that links statically is at hand
# (gcc or $CC, with the C library's static archive, Debian: libc6-dev). Without one the worker still
# works: it falls back to util-linux setpriv + setsid, one exec slower per task.
set -u
out="$1/$(uname -s | tr 'A-Z' 'a-z')-$(uname -m)"
src="$(dirname "$0")/dp3q-exec.c"
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "dp3q-exec: no C compiler ($cc); the worker will use setpriv + setsid"
  exit 0
fi
mkdir -p "$out"
if "$cc" -static -Os -s -Wall -Wextra -o "$out/dp3q-exec" "$src"; then
  echo "dp3q-exec: built $out/dp3q-exec"
else
  rm -f "$out/dp3q-exec"
  echo "dp3q-exec: could not build a static helper; the worker will use setpriv + setsid"
fi
exit 0
