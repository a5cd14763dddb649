-- CreateTable
CREATE TABLE "StatisticsRelease" (
    "scope" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "figures" TEXT NOT NULL,

    CONSTRAINT "StatisticsRelease_pkey" PRIMARY KEY ("scope","period")
);
