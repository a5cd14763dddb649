// Erased means gone from the disk too, not only from the tables: SQLite keeps deleted rows in freed pages and
// old page images in its write-ahead log, and FTS5 keeps deleted words in its index segments until they are
// merged (https://sqlite.org/pragma.html#pragma_secure_delete). After a whole withdrawal the raw bytes of the
// database file and its -wal file must hold none of the interview's transcript words, neither as spoken nor as
// the search index's token. PostgreSQL keeps dead rows until VACUUM; see docs/decisions/0012-erasure-on-disk.md.
import "../../app/withdrawal/test-storage-env.ts";
import crypto from "node:crypto";
import fs from "node:fs";
import Database from "better-sqlite3";
import { db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import type { SessionUser } from "../../app/auth/session.server.ts";
import { loadTranscript, saveTranscript } from "../../app/transcripts/transcripts.server.ts";
import { withdrawInterview } from "../../app/withdrawal/withdraw.server.ts";
import { search } from "../../search/search.server.ts";
import { dialectOf } from "../../search/raw-sql.server.ts";
import { buildFixture, VIS } from "../search/fixture.ts";

const onSqlite = dialectOf(db) === "sqlite";
const fixture = await buildFixture(db);
const researcher: SessionUser = { id: fixture.users.researcher, username: "forschung-test", displayName: "Rosa", locale: "de", roles: ["researcher", "admin"], municipalityIds: [], sessionId: "s", csrfToken: "c" };
const grant: Grant = { user: researcher, access: "any" };

/** A word no text holds: consonants only, so the stemmer leaves it whole and its index token is its lower case. */
function marker(): string {
  const letters = "bdfgkmpqtvwxz";
  return `Q${[...crypto.randomBytes(14)].map((b) => letters[b % letters.length]).join("")}`;
}

function fileBytes(): Buffer {
  const file = process.env.DATABASE_URL!.slice("file:".length);
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

/** Tails of the markers found in the bytes (a tail: the FTS5 index stores a term after the prefix it shares with the one before). */
const remnants = (bytes: Buffer, words: string[]) => words.filter((w) => bytes.includes(Buffer.from(w.slice(-10))));

describe.runIf(onSqlite)("after a whole withdrawal the SQLite files hold none of the interview's words", () => {
  it("neither the text nor its index tokens are left in the database file or its write-ahead log", async () => {
    const words = [marker(), marker(), marker()];
    const t = (await loadTranscript(grant, fixture.interviews.A))!;
    const paragraphs = t.paragraphs.map((p, i) => (i === 0 ? { ...p, text: `${p.text} Mein Nachbar ${words[0]} aus ${words[1]} sagte ${words[2]}.` } : p));
    expect((await saveTranscript(null, grant, fixture.interviews.A, t.version, paragraphs)).ok).toBe(true);
    const found = await search({ q: words[1]!, visibility: VIS.researcher }, db);
    expect(found.ok && found.hits.length).toBe(1);
    // The words are on disk now (the test can see them), in the text, the version and the index.
    expect(remnants(fileBytes(), words)).toEqual(words);

    const result = await withdrawInterview(null, researcher, fixture.interviews.A, { scope: "whole" });
    expect(result.withdrawal.status).toBe("done");
    expect(remnants(fileBytes(), words)).toEqual([]);
  });

  it("a reader that keeps the log from being emptied leaves the withdrawal pending; running it again finishes it", { timeout: 60_000 }, async () => {
    const words = [marker(), marker()];
    const t = (await loadTranscript(grant, fixture.interviews.B))!;
    const paragraphs = t.paragraphs.map((p, i) => (i === 0 ? { ...p, text: `${p.text} ${words[0]} und ${words[1]}.` } : p));
    expect((await saveTranscript(null, grant, fixture.interviews.B, t.version, paragraphs)).ok).toBe(true);
    // Another process's read transaction (a backup, a long report) holds a snapshot from before the withdrawal.
    const reader = new Database(process.env.DATABASE_URL!.slice("file:".length));
    reader.prepare("BEGIN").run();
    reader.prepare(`SELECT count(*) FROM "Interview"`).get();
    try {
      await expect(withdrawInterview(null, researcher, fixture.interviews.B, { scope: "whole" })).rejects.toThrow(/write-ahead log could not be emptied/);
      const pending = await db.withdrawal.findFirstOrThrow({ where: { interviewId: fixture.interviews.B } });
      expect(pending.status).toBe("pending");
    } finally {
      reader.prepare("COMMIT").run();
      reader.close();
    }
    const resumed = await withdrawInterview(null, researcher, fixture.interviews.B, null);
    expect(resumed).toMatchObject({ resumed: true, withdrawal: { status: "done" } });
    expect(remnants(fileBytes(), words)).toEqual([]);
  });
});
if (!onSqlite) console.log("Erasure on disk: SKIPPED on PostgreSQL (the check reads SQLite files; PostgreSQL's dead rows go with VACUUM, ADR 0012).");
