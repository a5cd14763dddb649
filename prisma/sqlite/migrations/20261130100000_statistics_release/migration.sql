-- CreateTable
CREATE TABLE "StatisticsRelease" (
    "scope" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "figures" TEXT NOT NULL,

    PRIMARY KEY ("scope", "period")
);
