#!/usr/bin/env bash
# npm run worker: a transcription worker on this machine (scale-out: many of them, on other machines than the app).
# Prepares what a fresh clone lacks, like npm start (Debian's ffmpeg, the npm packages with whisper.cpp built for this
# CPU, the Prisma clients), then runs transcription/worker-main.ts with the configuration of .env or the environment:
# DATABASE_URL, STORAGE and S3_*, WHISPER_MODEL (and MEILI_* when Meilisearch is used). No session secret and no
# identity key: a worker needs neither.
source "$(dirname "$0")/lib.sh"

ensure_node
ensure_apt python3:python3 make:make g++:g++ ffmpeg:ffprobe
ensure_npm_packages
load_env_file
ensure_prisma_clients
# worker-main.ts first checks the database's schema (transcription/check-migrated.ts): one line, not Prisma's stacks.
exec node --import tsx transcription/worker-main.ts
