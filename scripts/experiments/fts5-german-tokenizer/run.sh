#!/usr/bin/env bash
# npm run bench:fts5-tokenizer: builds german.c as a SQLite extension (the FTS5 header comes from the SQLite
# amalgamation better-sqlite3 bundles, so it matches the SQLite the app runs), makes a bench database with
# 200 interviews (scripts/bench/search.ts --keep) unless one is given, and measures. See README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
amalgamation="$root/node_modules/better-sqlite3/deps/sqlite3"
awk '/^\/\*+ Begin file fts5.h/{f=1;next} /^\/\*+ End of fts5.h/{f=0} f' "$amalgamation/sqlite3.c" > "$work/fts5.h"
cc -O2 -Wall -fPIC -shared -I"$amalgamation" -I"$work" -o "$work/german.so" "$here/german.c"
db="${1:-}"
if [ -z "$db" ]; then
  kept="$(cd "$root" && npx tsx scripts/bench/search.ts --interviews 200 --keep | tr '\r' '\n' | sed -n 's/^kept: //p')"
  db="$kept/bench.db"
  trap 'rm -rf "$work" "$kept"' EXIT
fi
cd "$root" && npx tsx "$here/measure.ts" "$db" "$work/german.so" "$work/out.db"
