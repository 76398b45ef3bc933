#!/usr/bin/env bash
# Creates the three broker passwords compose.yaml reads (random, never committed: deploy/compose/secrets/ is
# ignored by git). Existing ones are kept. The directory is private to you; the files are readable so that the
# containers' unprivileged user can read their bind mounts.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
for role in admin producer worker; do
  file="$dir/${role}_password"
  if [ ! -s "$file" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$file"
    chmod 644 "$file"
    echo "created $file"
  fi
done
