// Round trip over HTTP between two real instances: export the seeded project from one (the three fixture
// interviews with their reference codings and memos), import it into an empty instance, and the codes (names,
// hierarchy, colours), the plain texts and the coded quotes match. Plus the page's limits and refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, db, type Db } from "../../app/db/client.server.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { REFI_LIMITS } from "../../app/refi/limits.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { startAppServer, type AppServer, type HttpClient } from "../support/app-server.ts";
import { createTestDatabase } from "../support/db.ts";
import { planted } from "../support/redaction.ts";
import { allowArchiving, consistencyProblems, schemaErrors, seedProject, unzipAll, type SeededProject } from "./support.ts";

let a: AppServer;
let b: AppServer;
let dbB: Db;
let seeded: SeededProject;

/** Removes every code (leaves first: the tree refuses to lose a parent), so the second instance starts empty. */
async function emptyCodebook(client: Db) {
  while ((await client.code.count()) > 0) await client.code.deleteMany({ where: { children: { none: {} } } });
}

beforeAll(async () => {
  seeded = await seedProject(db);
  await allowArchiving(db, seeded.interviews.get("int-03")!.id);
  a = await startAppServer({ seed: false });
  const urlB = await createTestDatabase();
  dbB = createDb(urlB);
  await seedReference(dbB);
  await emptyCodebook(dbB);
  await seedDemo(dbB, { cases: 3 });
  b = await startAppServer({ databaseUrl: urlB, seed: false });
}, 120_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await dbB?.$disconnect();
});

async function download(client: HttpClient, path: string) {
  const res = await client.get(path);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

function projectForm(csrf: string, file: Blob, name: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.set("_csrf", csrf);
  form.set("intent", "project");
  form.set("file", file, name);
  form.set("casePseudonym", "LOE-2019-0001");
  form.set("placeType", "office");
  form.set("givenBy", "person");
  form.set("givenAt", "2025-03-11");
  form.set("form", "written");
  form.set("language", "de");
  form.set("infoSheetVersion", "Infoblatt 2025-01");
  for (const s of ["recording", "transcription", "analysis", "quotation", "archiving", "specialCategories"]) form.append("scopes", s);
  form.set("confirmConsent", "on");
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  return form;
}

const ACTION = "/exchange?index&_data=routes%2Fexchange._index";

type Tree = Map<string, { parentId: string | null; name: string; colour: string }>;
async function codePaths(client: Db) {
  const rows: Tree = new Map((await client.code.findMany({ select: { id: true, parentId: true, name: true, colour: true } })).map((r) => [r.id, r]));
  const pathOf = (id: string): string => {
    const row = rows.get(id)!;
    return row.parentId ? `${pathOf(row.parentId)} › ${row.name}` : row.name;
  };
  return new Map([...rows.keys()].map((id) => [id, { path: pathOf(id), colour: rows.get(id)!.colour }]));
}

async function transcriptsWithCodings(client: Db, interviewIds?: string[]) {
  const codes = await codePaths(client);
  const transcripts = await client.transcript.findMany({
    where: interviewIds ? { interviewId: { in: interviewIds } } : {},
    select: { paragraphs: { orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } }, codings: { select: { codeId: true, start: true, end: true, quote: true } } },
  });
  return transcripts
    .map((t) => ({
      text: writeText(t.paragraphs),
      codings: t.codings.map((c) => `${codes.get(c.codeId)!.path} | ${c.start}-${c.end} | ${c.quote}`).sort(),
    }))
    .sort((x, y) => x.text.localeCompare(y.text));
}

describe("round trip: export, import into an empty instance", () => {
  it("keeps codes, texts and coded quotes", async () => {
    const researcherA = await a.loginAs("forschung");
    // redact=0: the texts as they are (the default replaces identifying details; tests/refi/export.test.ts)
    const zip = await download(researcherA, "/exchange/project.qdpx?redact=0");
    const entries = await unzipAll(zip);
    const xml = entries.get("project.qde")!.toString("utf8");
    expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
    expect(consistencyProblems(xml, entries)).toEqual([]);

    const researcherB = await b.loginAs("forschung");
    const res = await researcherB.fetch(ACTION, { method: "POST", body: projectForm(await researcherB.csrfToken(), new Blob([zip]), "lebenswege.qdpx"), headers: { origin: b.origin } });
    const body = (await res.json()) as { report: { interviews: unknown[]; codings: number; skipped: { reason: string }[] } | null; refusal: unknown };
    expect(body.refusal).toBeNull();
    expect(res.status).toBe(200);
    expect(body.report!.interviews).toHaveLength(3);

    // codes: same names, hierarchy and colours
    const codesA = [...(await codePaths(db)).values()].map((c) => `${c.path} ${c.colour}`).sort();
    const codesB = [...(await codePaths(dbB)).values()].map((c) => `${c.path} ${c.colour}`).sort();
    expect(codesB).toEqual(codesA);

    // texts and codings: identical plain texts, the same quotes at the same places under the same codes
    const exported = [...seeded.interviews.values()].map((i) => i.id);
    const before = await transcriptsWithCodings(db, exported);
    const after = await transcriptsWithCodings(dbB);
    expect(after.map((t) => t.text)).toEqual(before.map((t) => t.text));
    expect(after.map((t) => t.codings)).toEqual(before.map((t) => t.codings));
    expect(before.reduce((n, t) => n + t.codings.length, 0)).toBeGreaterThan(60);

    // memos of exported things arrive; the note attached to a coding stays on that coding
    const memo = await dbB.memo.findFirstOrThrow({ where: { title: "Zur Stelle" }, select: { codingId: true } });
    expect(memo.codingId).not.toBeNull();
    expect(await dbB.memo.count({ where: { title: { in: ["Interviewnotiz", "Code-Memo", "Theorie"] } } })).toBe(3);

    // the imported instance exports a valid project again
    const again = await unzipAll(await download(researcherB, "/exchange/project.qdpx"));
    expect(schemaErrors(again.get("project.qde")!.toString("utf8"), "Project.xsd")).toEqual([]);
    expect(consistencyProblems(again.get("project.qde")!.toString("utf8"), again)).toEqual([]);
  });

  it("exports the codebook as a valid .qdc and imports it back without duplicates", async () => {
    const researcherA = await a.loginAs("forschung");
    const qdc = await download(researcherA, "/exchange/codebook.qdc");
    expect(schemaErrors(qdc.toString("utf8"), "Codebook.xsd")).toEqual([]);
    const researcherB = await b.loginAs("forschung");
    const countBefore = await dbB.code.count();
    const form = new FormData();
    form.set("_csrf", await researcherB.csrfToken());
    form.set("intent", "codebook");
    form.set("file", new Blob([qdc]), "codebook.qdc");
    const res = await researcherB.fetch(ACTION, { method: "POST", body: form, headers: { origin: b.origin } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { report: { codesCreated: string[]; codesMerged: string[] } };
    expect(body.report.codesCreated).toEqual([]);
    expect(body.report.codesMerged.length).toBe(countBefore);
    expect(await dbB.code.count()).toBe(countBefore);
  });
});

describe("the exchange page over HTTP", () => {
  it("shows export and import to researchers, German first", async () => {
    const researcher = await a.loginAs("forschung");
    const res = await researcher.get("/exchange");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Austausch mit QDA-Programmen (REFI-QDA)");
    expect(html).toContain("Projekt exportieren (.qdpx)");
    expect(html).toContain("Projekt importieren");
    expect(html).toMatch(/<input type="checkbox" id="export-redact" name="redact"[^>]* checked=""[^>]* value="1"\/>Identitätsangaben ersetzen/);
    expect(html).toContain("Identitätsangaben ersetzen");
  });

  it("replaces identifying details unless redact=0, and refuses other values", async () => {
    const researcher = await a.loginAs("forschung");
    const textOf = async (path: string) => [...(await unzipAll(await download(researcher, path))).entries()].filter(([n]) => n.endsWith(".txt")).map(([, b]) => b.toString("utf8")).join("\n");
    const secrets = [...new Set(["int-01", "int-02", "int-03"].flatMap((f) => planted(f).map((p) => p.text)))];
    // as the form sends it: the hidden 0, then the ticked box's 1
    const ticked = await textOf("/exchange/project.qdpx?redact=0&redact=1");
    const plain = await textOf("/exchange/project.qdpx");
    const unticked = await textOf("/exchange/project.qdpx?redact=0");
    expect(secrets.filter((s) => ticked.includes(s))).toEqual([]);
    expect(secrets.filter((s) => plain.includes(s))).toEqual([]);
    expect(secrets.filter((s) => unticked.includes(s))).toEqual(secrets);
    const bad = await researcher.get("/exchange/project.qdpx?redact=ja");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("Die Angaben in der Adresse sind ungültig."); // in the reader's language
  });

  it("refuses a file that is not a zip with a clear message, saving nothing but the audit entry", async () => {
    const researcher = await b.loginAs("forschung");
    const interviews = await dbB.interview.count();
    const res = await researcher.fetch(ACTION, { method: "POST", body: projectForm(await researcher.csrfToken(), new Blob(["kein zip"]), "x.qdpx"), headers: { origin: b.origin } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { refusal: { code: string } }).refusal.code).toBe("notZip");
    expect(await dbB.interview.count()).toBe(interviews);
    expect(await dbB.auditLog.count({ where: { action: "refi.import.refused" } })).toBe(1);
  });

  it("refuses an upload over the size limit while reading it (413)", async () => {
    const researcher = await b.loginAs("forschung");
    const big = new Blob([new Uint8Array(REFI_LIMITS.uploadBytes + 1)]);
    const res = await researcher.fetch(ACTION, { method: "POST", body: projectForm(await researcher.csrfToken(), big, "big.qdpx"), headers: { origin: b.origin } });
    expect(res.status).toBe(413);
    await res.body?.cancel();
  });

  it("needs the CSRF token and the import permission", async () => {
    const researcher = await b.loginAs("forschung");
    const noToken = await researcher.fetch(ACTION, { method: "POST", body: projectForm("falsch", new Blob(["x"]), "x.qdpx"), headers: { origin: b.origin } });
    expect(noToken.status).toBe(403);
    const commissioner = await b.loginAs("beauftragte");
    expect((await commissioner.get("/exchange")).status).toBe(403);
    expect((await commissioner.get("/exchange/project.qdpx")).status).toBe(403);
    const post = await commissioner.fetch(ACTION, { method: "POST", body: projectForm(await commissioner.csrfToken(), new Blob(["x"]), "x.qdpx"), headers: { origin: b.origin } });
    expect(post.status).toBe(403);
  });
});
