#!/usr/bin/env bash
# npm test: every test, on SQLite and on PostgreSQL, unit + HTTP + browser. Installs what it needs.
source "$(dirname "$0")/lib.sh"

ensure_node
pg_initdb() { ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | head -n1; }
# npm ci compiles better-sqlite3 and whisper.cpp with these, so they come first.
ensure_apt python3:python3 make:make g++:g++
# The tests' own programs download and unpack while npm ci compiles (on a fresh CI machine both take a minute or two).
(
  ensure_apt chromium-headless-shell:/usr/lib/chromium/chromium-headless-shell ffmpeg:ffprobe espeak-ng:espeak-ng
  [ -n "$(pg_initdb)" ] || ensure_apt postgresql:/nonexistent/initdb
) &
test_programs=$!
ensure_npm_packages
ensure_prisma_clients
ensure_build
wait "$test_programs"
export SKIP_BUILD=1 # built just above; vitest's global set-up would build again otherwise

results="$(mktemp -d)"
status=0
run() {
  local name="$1"; shift
  say "Tests: $name"
  if ! "$@" --reporter=default --reporter=json --outputFile="$results/$name.json"; then status=1; fi
}

run sqlite npx vitest run
run postgres env TEST_DATABASE=postgres npx vitest run
# The two browser runs side by side: a browser run waits on pages much of the time (about a third of the two cores
# idle, measured with vmstat), so together they take some 200 s less than one after the other, which keeps CI under
# 30 minutes. The PostgreSQL run writes to a log of its own, printed after the SQLite run's live output.
postgres_log="$(mktemp)"
( run browser-postgres env TEST_DATABASE=postgres npx vitest run --config vitest.browser.config.ts > "$postgres_log" 2>&1; exit $status ) &
postgres_browser=$!
run browser-sqlite npx vitest run --config vitest.browser.config.ts
wait "$postgres_browser" || status=1
cat "$postgres_log"
rm -f "$postgres_log"

# What failed, by name, and one closing count line over all runs.
node scripts/test-summary.mjs "$results"
rm -rf "$results"
exit $status
