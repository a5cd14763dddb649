-- What a finished transcription run produced, for the summary on the interview's transcription page.
ALTER TABLE "TranscriptionJob" ADD COLUMN "resultLanguage" TEXT;
ALTER TABLE "TranscriptionJob" ADD COLUMN "segmentCount" INTEGER;
ALTER TABLE "TranscriptionJob" ADD COLUMN "paragraphCount" INTEGER;
ALTER TABLE "TranscriptionJob" ADD COLUMN "wordCount" INTEGER;
