#!/usr/bin/env bash
# npm start: from a fresh clone to http://localhost:3000 with the demo district and one login per role.
# Production: NODE_ENV=production with SESSION_SECRET, IDENTITY_KEY and DATABASE_URL in the environment (see README).
source "$(dirname "$0")/lib.sh"

ensure_node
# A taken port stops the start before anything else: the first npm ci alone takes minutes, and the seed's demo logins
# would read as a successful start. (In a subshell: .env is exported for the app only after npm ci.)
( load_env_file && ensure_port_free )
ensure_apt python3:python3 make:make g++:g++ ffmpeg:ffprobe
ensure_npm_packages
ensure_env_file
load_env_file
export NODE_ENV="${NODE_ENV:-development}"
if [ -z "${DEMO_DATA:-}" ]; then
  if [ "$NODE_ENV" = production ]; then export DEMO_DATA=false; else export DEMO_DATA=true; fi
fi
# Refuse a wrong configuration before doing any work, with one message per wrong value.
npx tsx scripts/check-env.ts
ensure_prisma_clients
ensure_build
migrate_database
if [ "$DEMO_DATA" = true ]; then
  npx tsx prisma/seed/index.ts --demo --print-logins
else
  npx tsx prisma/seed/index.ts
fi
exec node app/http/server.js
