-- CreateTable
CREATE TABLE "Interview" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "date" TIMESTAMP(3) NOT NULL,
    "placeType" TEXT NOT NULL,
    "languages" TEXT NOT NULL,
    "interviewerId" TEXT,
    "durationMinutes" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "transcriptionLanguage" TEXT NOT NULL DEFAULT 'auto',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Interview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterviewIdentity" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "iv" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InterviewIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "givenBy" TEXT NOT NULL,
    "givenAt" TIMESTAMP(3) NOT NULL,
    "takenById" TEXT,
    "form" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "infoSheetVersion" TEXT NOT NULL,
    "copyHandedOver" BOOLEAN NOT NULL DEFAULT false,
    "interpreterPresent" BOOLEAN NOT NULL DEFAULT false,
    "interpreterConfidentiality" BOOLEAN NOT NULL DEFAULT false,
    "scopeRecording" BOOLEAN NOT NULL DEFAULT false,
    "scopeTranscription" BOOLEAN NOT NULL DEFAULT false,
    "scopeExternalTranscription" BOOLEAN NOT NULL DEFAULT false,
    "scopeAnalysis" BOOLEAN NOT NULL DEFAULT false,
    "scopeLinking" BOOLEAN NOT NULL DEFAULT false,
    "scopeQuotation" BOOLEAN NOT NULL DEFAULT false,
    "scopeArchiving" BOOLEAN NOT NULL DEFAULT false,
    "scopeSpecialCategories" BOOLEAN NOT NULL DEFAULT false,
    "scopeRecontact" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "durationMs" INTEGER,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentDocument" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "consentRecordId" TEXT,
    "storageKey" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Withdrawal" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "caseId" TEXT,
    "scope" TEXT NOT NULL,
    "parts" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "erased" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "createdById" TEXT,

    CONSTRAINT "Withdrawal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Interview_code_key" ON "Interview"("code");

-- CreateIndex
CREATE INDEX "Interview_caseId_idx" ON "Interview"("caseId");

-- CreateIndex
CREATE INDEX "Interview_status_idx" ON "Interview"("status");

-- CreateIndex
CREATE UNIQUE INDEX "InterviewIdentity_interviewId_key" ON "InterviewIdentity"("interviewId");

-- CreateIndex
CREATE INDEX "ConsentRecord_interviewId_current_idx" ON "ConsentRecord"("interviewId", "current");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentRecord_interviewId_version_key" ON "ConsentRecord"("interviewId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Recording_storageKey_key" ON "Recording"("storageKey");

-- CreateIndex
CREATE INDEX "Recording_interviewId_idx" ON "Recording"("interviewId");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentDocument_storageKey_key" ON "ConsentDocument"("storageKey");

-- CreateIndex
CREATE INDEX "ConsentDocument_interviewId_idx" ON "ConsentDocument"("interviewId");

-- CreateIndex
CREATE INDEX "Withdrawal_interviewId_idx" ON "Withdrawal"("interviewId");

-- CreateIndex
CREATE INDEX "Withdrawal_status_idx" ON "Withdrawal"("status");

-- AddForeignKey
ALTER TABLE "Interview" ADD CONSTRAINT "Interview_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interview" ADD CONSTRAINT "Interview_interviewerId_fkey" FOREIGN KEY ("interviewerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewIdentity" ADD CONSTRAINT "InterviewIdentity_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentDocument" ADD CONSTRAINT "ConsentDocument_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentDocument" ADD CONSTRAINT "ConsentDocument_consentRecordId_fkey" FOREIGN KEY ("consentRecordId") REFERENCES "ConsentRecord"("id") ON DELETE SET NULL ON UPDATE CASCADE;
