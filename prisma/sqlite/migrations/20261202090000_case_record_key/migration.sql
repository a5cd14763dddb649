-- Cell key method (ADR 0021): every case gets a fixed random record key in [0, 1), in steps of 2^-31 (sums of
-- keys stay exact in floating point). Existing cases draw theirs here from SQLite's random(), which SQLite fills
-- from its ChaCha20 generator seeded by the operating system; new cases get one from node:crypto on creation.
-- SQLite cannot add a NOT NULL column without a constant default, so the table is rebuilt (Prisma's pattern).
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Case" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pseudonym" TEXT NOT NULL,
    "municipalityId" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "imStart" DATETIME NOT NULL,
    "recordKey" REAL NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "archiveReason" TEXT,
    "archivedAt" DATETIME,
    "householdId" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Case" ("archiveReason", "archivedAt", "createdAt", "createdById", "group", "householdId", "id", "imStart", "municipalityId", "pseudonym", "recordKey", "status", "updatedAt")
SELECT "archiveReason", "archivedAt", "createdAt", "createdById", "group", "householdId", "id", "imStart", "municipalityId", "pseudonym", (random() & 2147483647) / 2147483648.0, "status", "updatedAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE UNIQUE INDEX "Case_pseudonym_key" ON "Case"("pseudonym");
CREATE INDEX "Case_municipalityId_status_idx" ON "Case"("municipalityId", "status");
CREATE INDEX "Case_householdId_idx" ON "Case"("householdId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
