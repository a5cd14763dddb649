-- Transcription workers and their heartbeat, so the admins' queue page shows which are running (ADR 0007).
CREATE TABLE "TranscriptionWorkerSeen" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "embedded" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" DATETIME NOT NULL,
    "modelName" TEXT,
    "modelBytes" BIGINT,
    "modelProblem" TEXT,
    "threads" INTEGER NOT NULL,
    "jobId" TEXT,
    "lastSeenAt" DATETIME NOT NULL,
    "aliveUntil" DATETIME NOT NULL,
    "stoppedAt" DATETIME
);

CREATE INDEX "TranscriptionWorkerSeen_lastSeenAt_idx" ON "TranscriptionWorkerSeen"("lastSeenAt");
