-- Transcription workers and their heartbeat, so the admins' queue page shows which are running (ADR 0007).
CREATE TABLE "TranscriptionWorkerSeen" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "embedded" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "modelName" TEXT,
    "modelBytes" BIGINT,
    "modelProblem" TEXT,
    "threads" INTEGER NOT NULL,
    "jobId" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "aliveUntil" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "TranscriptionWorkerSeen_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "TranscriptionWorkerSeen_lastSeenAt_idx" ON "TranscriptionWorkerSeen"("lastSeenAt");
