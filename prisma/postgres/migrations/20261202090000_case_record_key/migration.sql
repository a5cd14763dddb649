-- Cell key method (ADR 0021): every case gets a fixed random record key in [0, 1), in steps of 2^-31 (sums of
-- keys stay exact in floating point). Existing cases draw theirs here from gen_random_uuid(), whose first 32
-- bits come from PostgreSQL's strong random source (random() is not one); new cases get one from node:crypto.
ALTER TABLE "Case" ADD COLUMN "recordKey" DOUBLE PRECISION;
UPDATE "Case" SET "recordKey" = (('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 8))::bit(32)::bigint & 2147483647) / 2147483648.0;
ALTER TABLE "Case" ALTER COLUMN "recordKey" SET NOT NULL;
