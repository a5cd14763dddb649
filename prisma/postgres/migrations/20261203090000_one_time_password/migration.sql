-- A password set by an admin or the create-admin script is a one-time password (docs/decisions/0023): this is when
-- it was set. Existing users (and the demo users) chose or were given theirs before: NULL, no change asked of them.
ALTER TABLE "User" ADD COLUMN "oneTimePasswordSetAt" TIMESTAMP(3);
