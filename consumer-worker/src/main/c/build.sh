#!/bin/sh
# Builds the dp3q-exec helper into $1/<os>-<arch>/ when a C compiler that links statically is at hand
# (gcc or $CC). On x86-64 without the C library (a few pages to exec); elsewhere, or when that fails,
# statically against the C library (Debian: libc6-dev). Without either the worker still works: it falls
# back to util-linux setpriv + setsid, one exec slower per task.
set -u
out="$1/$(uname -s | tr 'A-Z' 'a-z')-$(uname -m)"
src="$(dirname "$0")/dp3q-exec.c"
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "dp3q-exec: no C compiler ($cc); the worker will use setpriv + setsid"
  exit 0
fi
mkdir -p "$out"
if [ "$(uname -m)" = x86_64 ] && "$cc" -DDP3Q_NOLIBC -static -nostdlib -fno-stack-protector -fno-builtin \
    -fno-asynchronous-unwind-tables -Os -s -Wall -Wextra -o "$out/dp3q-exec" "$src"; then
  echo "dp3q-exec: built $out/dp3q-exec (without the C library)"
elif "$cc" -static -Os -s -Wall -Wextra -o "$out/dp3q-exec" "$src"; then
  echo "dp3q-exec: built $out/dp3q-exec"
else
  rm -f "$out/dp3q-exec"
  echo "dp3q-exec: could not build a static helper; the worker will use setpriv + setsid"
fi
exit 0
