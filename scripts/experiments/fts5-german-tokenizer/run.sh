#!/usr/bin/env bash
# npm run bench:fts5-tokenizer [-- path/to/bench.db]: checks the tokenizer lw_german against the app's normalization
# (parity.test.ts; build.ts compiles lw_german.c on first use, against the SQLite amalgamation better-sqlite3
# bundles), makes a bench database with 200 interviews (scripts/bench/search.ts --keep) unless one is given, and
# measures (measure.ts). See README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
npx vitest run --config "$here/vitest.config.ts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="${1:-}"
if [ -z "$db" ]; then
  kept="$(npx tsx scripts/bench/search.ts --interviews 200 --keep | tr '\r' '\n' | sed -n 's/^kept: //p')"
  db="$kept/bench.db"
  trap 'rm -rf "$work" "$kept"' EXIT
fi
npx tsx "$here/measure.ts" "$db" "$work/out.db"
