-- CreateTable
CREATE TABLE "Code" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT,
    "parentId" TEXT,
    "name" TEXT NOT NULL,
    "nameEn" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "examples" TEXT NOT NULL DEFAULT '[]',
    "colour" TEXT NOT NULL,
    "specialCategory" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Code_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Code" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Coding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "transcriptId" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,
    "orphaned" BOOLEAN NOT NULL DEFAULT false,
    "comment" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Coding_transcriptId_fkey" FOREIGN KEY ("transcriptId") REFERENCES "Transcript" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Coding_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Coding_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "Code" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Memo" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "contentJson" TEXT NOT NULL,
    "contentHtml" TEXT NOT NULL,
    "contentText" TEXT NOT NULL,
    "interviewId" TEXT,
    "codingId" TEXT,
    "codeId" TEXT,
    "caseId" TEXT,
    "authorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Memo_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Memo_codingId_fkey" FOREIGN KEY ("codingId") REFERENCES "Coding" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Memo_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "Code" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Memo_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BiographyNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "noteDate" DATETIME NOT NULL,
    "title" TEXT NOT NULL,
    "contentJson" TEXT NOT NULL,
    "contentHtml" TEXT NOT NULL,
    "contentText" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "authorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "BiographyNote_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BiographyNoteVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "noteId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "noteDate" DATETIME NOT NULL,
    "title" TEXT NOT NULL,
    "contentJson" TEXT NOT NULL,
    "contentHtml" TEXT NOT NULL,
    "editedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BiographyNoteVersion_noteId_fkey" FOREIGN KEY ("noteId") REFERENCES "BiographyNote" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PassageLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codingId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "indicatorId" TEXT NOT NULL,
    "snapshotId" TEXT,
    "status" TEXT NOT NULL,
    "proposedState" TEXT,
    "proposedValue" TEXT,
    "proposedObservedAt" DATETIME,
    "proposedSource" TEXT,
    "note" TEXT,
    "createdById" TEXT,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PassageLink_codingId_fkey" FOREIGN KEY ("codingId") REFERENCES "Coding" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PassageLink_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PassageLink_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "IndicatorDefinition" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PassageLink_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "Snapshot" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SearchEntry" (
    "rowid" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "text" TEXT NOT NULL,
    "interviewId" TEXT,
    "caseId" TEXT,
    "municipalityId" TEXT,
    "caseGroup" TEXT,
    "language" TEXT,
    "speaker" TEXT,
    "startMs" INTEGER,
    "authorId" TEXT,
    "docDate" DATETIME,
    "codeIds" TEXT NOT NULL DEFAULT '[]',
    "dimensions" TEXT NOT NULL DEFAULT '[]',
    "audience" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SearchOutbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "op" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Narrative" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "blocks" TEXT NOT NULL DEFAULT '[]',
    "redactions" TEXT NOT NULL DEFAULT '[]',
    "releasedHtml" TEXT,
    "releasedText" TEXT,
    "authorId" TEXT,
    "reviewerId" TEXT,
    "submittedAt" DATETIME,
    "releasedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Narrative_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NarrativeSource" (
    "narrativeId" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,

    PRIMARY KEY ("narrativeId", "interviewId"),
    CONSTRAINT "NarrativeSource_narrativeId_fkey" FOREIGN KEY ("narrativeId") REFERENCES "Narrative" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NarrativeSource_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Code_key_key" ON "Code"("key");

-- CreateIndex
CREATE INDEX "Code_parentId_position_idx" ON "Code"("parentId", "position");

-- CreateIndex
CREATE INDEX "Coding_transcriptId_start_idx" ON "Coding"("transcriptId", "start");

-- CreateIndex
CREATE INDEX "Coding_codeId_idx" ON "Coding"("codeId");

-- CreateIndex
CREATE INDEX "Coding_interviewId_idx" ON "Coding"("interviewId");

-- CreateIndex
CREATE INDEX "Memo_interviewId_idx" ON "Memo"("interviewId");

-- CreateIndex
CREATE INDEX "Memo_codingId_idx" ON "Memo"("codingId");

-- CreateIndex
CREATE INDEX "Memo_codeId_idx" ON "Memo"("codeId");

-- CreateIndex
CREATE INDEX "Memo_caseId_idx" ON "Memo"("caseId");

-- CreateIndex
CREATE INDEX "Memo_updatedAt_idx" ON "Memo"("updatedAt");

-- CreateIndex
CREATE INDEX "BiographyNote_caseId_noteDate_idx" ON "BiographyNote"("caseId", "noteDate");

-- CreateIndex
CREATE UNIQUE INDEX "BiographyNoteVersion_noteId_version_key" ON "BiographyNoteVersion"("noteId", "version");

-- CreateIndex
CREATE INDEX "PassageLink_caseId_status_idx" ON "PassageLink"("caseId", "status");

-- CreateIndex
CREATE INDEX "PassageLink_codingId_idx" ON "PassageLink"("codingId");

-- CreateIndex
CREATE INDEX "PassageLink_snapshotId_idx" ON "PassageLink"("snapshotId");

-- CreateIndex
CREATE INDEX "SearchEntry_interviewId_idx" ON "SearchEntry"("interviewId");

-- CreateIndex
CREATE INDEX "SearchEntry_caseId_idx" ON "SearchEntry"("caseId");

-- CreateIndex
CREATE INDEX "SearchEntry_municipalityId_audience_idx" ON "SearchEntry"("municipalityId", "audience");

-- CreateIndex
CREATE INDEX "SearchEntry_audience_kind_idx" ON "SearchEntry"("audience", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "SearchEntry_kind_sourceId_key" ON "SearchEntry"("kind", "sourceId");

-- CreateIndex
CREATE INDEX "SearchOutbox_createdAt_idx" ON "SearchOutbox"("createdAt");

-- CreateIndex
CREATE INDEX "Narrative_caseId_idx" ON "Narrative"("caseId");

-- CreateIndex
CREATE INDEX "Narrative_status_idx" ON "Narrative"("status");

-- CreateIndex
CREATE INDEX "NarrativeSource_interviewId_idx" ON "NarrativeSource"("interviewId");
