-- What wrote each transcript version. Autosave writes one on every pause in typing (a two-hour transcript's
-- version is about a megabyte); consecutive saves of one person are thinned to the last of each burst once they are
-- an hour old (app/transcripts/versions.server.ts). Rows from before have no kind and are never thinned.
-- AlterTable
ALTER TABLE "TranscriptVersion" ADD COLUMN "kind" TEXT;
