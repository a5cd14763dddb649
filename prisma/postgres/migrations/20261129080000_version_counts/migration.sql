-- Paragraph and word counts of each stored version, written with it, so the version list reads none of the
-- paragraph JSON (a version of a two-hour transcript with word timings is about a megabyte, and autosave writes
-- one per save). Rows from before are counted and filled on their first listing (listVersions).
-- AlterTable
ALTER TABLE "TranscriptVersion" ADD COLUMN "paragraphCount" INTEGER;
ALTER TABLE "TranscriptVersion" ADD COLUMN "wordCount" INTEGER;
