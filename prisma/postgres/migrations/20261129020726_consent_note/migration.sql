-- AlterTable
ALTER TABLE "ConsentRecord" ADD COLUMN     "note" TEXT;
