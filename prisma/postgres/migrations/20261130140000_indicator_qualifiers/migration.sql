-- Further details of an indicator value (the German level's evidence, where a qualification was gained, the kind of
-- association): the definition lists them, a snapshot carries the chosen ones (JSON).
ALTER TABLE "IndicatorDefinition" ADD COLUMN "qualifiers" TEXT;
ALTER TABLE "Snapshot" ADD COLUMN "qualifiers" TEXT;
