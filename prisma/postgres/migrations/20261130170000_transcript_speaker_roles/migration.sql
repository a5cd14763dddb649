-- The role of each speaker label the editor gave one other than its first letter's (JSON {label: role}), so a
-- renamed interviewer ("Rosa") stays an interviewer in search.
ALTER TABLE "Transcript" ADD COLUMN "speakerRoles" TEXT NOT NULL DEFAULT '{}';
