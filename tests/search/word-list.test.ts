// PostgreSQL's word list for word parts (search/word-list.server.ts): *prüfung is looked up in a snapshot of the
// index's words plus the entries changed since, not in every stored vector; what a user writes is found at once,
// and a withdrawal leaves none of its words in the list. SQLite reads FTS5's own term list (engine-contract tests).
import "../../app/withdrawal/test-storage-env.ts";
import { db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import type { SessionUser } from "../../app/auth/session.server.ts";
import { loadTranscript, saveTranscript } from "../../app/transcripts/transcripts.server.ts";
import { withdrawInterview } from "../../app/withdrawal/withdraw.server.ts";
import { search } from "../../search/search.server.ts";
import { dialectOf } from "../../search/raw-sql.server.ts";
import { refreshWordList, startWordListRefresher, wordListStale } from "../../search/word-list.server.ts";
import { buildFixture, VIS, type Fixture } from "./fixture.ts";

const onPostgres = dialectOf(db) === "postgres";
if (!onPostgres) console.log("PostgreSQL word list: SKIPPED on SQLite (run with TEST_DATABASE=postgres); SQLite reads FTS5's term list.");

describe.skipIf(!onPostgres)("PostgreSQL: the word list of word parts", () => {
  let fixture: Fixture;
  let grant: Grant;
  let researcher: SessionUser;
  const listed = async (word: string) => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "SearchWordList" WHERE "word" = $1`, word))[0]!.n);
  const pending = async () => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "SearchWordListPending"`))[0]!.n);
  async function found(q: string) {
    const r = await search({ q, visibility: VIS.researcher, pageSize: 50 }, db);
    if (!r.ok) throw new Error(r.hint);
    return r.hits.map((h) => `${h.kind}:${h.sourceId}`);
  }

  beforeAll(async () => {
    fixture = await buildFixture(db);
    researcher = { id: fixture.users.researcher, username: "forschung-test", displayName: "Rosa", locale: "de", roles: ["researcher", "admin"], municipalityIds: [], sessionId: "s", csrfToken: "c" };
    grant = { user: researcher, access: "any" };
  });

  it("is read from the snapshot once there is one, and the words written since come from their entries", async () => {
    expect(await wordListStale(db)).toBe(true); // no snapshot yet: lookups read every vector
    expect(await found("*prüfung")).toEqual(expect.arrayContaining([`paragraph:${fixture.paragraphs.P1}`]));

    const r = await refreshWordList(db);
    expect(r.refreshed).toBe(true);
    expect(r.words).toBeGreaterThan(20);
    expect(await listed("kenntnispruf")).toBe(1);
    expect(await wordListStale(db)).toBe(false);
    // The entries noted before the snapshot are let go once they are older than the margin; here, as if it passed.
    await db.$executeRawUnsafe(`DELETE FROM "SearchWordListPending"`);
    const before = await found("*prüfung");
    expect(before).toContain(`paragraph:${fixture.paragraphs.P1}`);
    // The lookup reads the snapshot, not the vectors: a word taken out of the snapshot is not looked up any more.
    await db.$executeRawUnsafe(`DELETE FROM "SearchWordList" WHERE "word" = 'kenntnispruf'`);
    expect(await found("*prüfung")).not.toContain(`paragraph:${fixture.paragraphs.P1}`);
    await refreshWordList(db);
    expect(await found("*prüfung")).toEqual(before);

    // A word written now is found at once, before any refresh: its entry was noted by the vector trigger.
    const t = (await loadTranscript(grant, fixture.interviews.A))!;
    const paragraphs = t.paragraphs.map((p, i) => (i === 0 ? { ...p, text: `${p.text} Die Gesellenprüfung kommt.` } : p));
    expect((await saveTranscript(null, grant, fixture.interviews.A, t.version, paragraphs)).ok).toBe(true);
    expect(await listed("gesellenpruf")).toBe(0);
    expect(await pending()).toBeGreaterThan(0);
    expect(await wordListStale(db)).toBe(true);
    expect(await found("*prüfung")).toContain(`paragraph:${fixture.paragraphs.P1}`);
    expect(await found("*gesellen*")).toEqual([`paragraph:${fixture.paragraphs.P1}`]);
  });

  it("the worker's refresher renews it when entries changed, and one refresher at a time", async () => {
    expect(await wordListStale(db)).toBe(true); // the edit above
    const lines: string[] = [];
    const stop = startWordListRefresher(db, { everyMs: 100, log: (l) => lines.push(l) });
    try {
      await vi.waitFor(async () => expect(await listed("gesellenpruf")).toBe(1), { timeout: 10_000, interval: 100 });
      expect(await wordListStale(db)).toBe(false);
      expect(lines.some((l) => /^search word list: \d+ words \(\d+ ms\)$/.test(l))).toBe(true);
    } finally {
      await stop();
    }
    // While one refresh runs, another gives way (a withdrawal's waits instead: see below).
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('lebenswege:search-word-list'))`);
      expect((await refreshWordList(db)).refreshed).toBe(false);
    });
  });

  it("a withdrawal leaves no word of the interview in it, even with a snapshot taken before", async () => {
    await refreshWordList(db);
    expect(await listed("apothekerin")).toBe(1); // only interview A says "Apothekerin"
    expect(await listed("gesellenpruf")).toBe(1);
    const result = await withdrawInterview(null, researcher, fixture.interviews.A, { scope: "whole" });
    expect(result.withdrawal.status).toBe("done");
    expect(await listed("apothekerin")).toBe(0);
    expect(await listed("gesellenpruf")).toBe(0);
    expect(await listed("elektrotechn")).toBe(1); // interview B's words stay
    expect(await found("*apotheker*")).toEqual([]);
  });
});
