// The codebook against the real test database: the seed (tree, umlauts, colours, Art. 9 flag, idempotent, deleted
// codes stay deleted), and the operations researchers use: add, rename, move (no cycles), merge (codings, memos and
// links move, duplicates collapse), delete (reassign, or delete codings only when confirmed).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { ctx, ensureReference, grantFor, insertCase, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../../app/cases/test-support.ts";
import * as codePage from "../../app/routes/codebook.$codeId.tsx";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { createCode, deleteCode, getCode, loadCodebook, mergeCodes, moveCode, updateCode } from "../../app/coding/codebook.server.ts";
import { contrastRatio, readableTextColour } from "../../app/coding/colours.ts";
import { flatten } from "../../app/coding/codebook-tree.ts";
import { seedCodebook } from "../../prisma/seed/codebook.ts";
import { seedReference } from "../../prisma/seed/reference.ts";

let researcher: TestUser;
let manager: Grant;
let interviewId: string;
let transcriptId: string;
const key = async (k: string) => (await db.code.findUniqueOrThrow({ where: { key: k }, select: { id: true } })).id;

async function coding(codeId: string, start: number, end: number, extra: { comment?: string } = {}) {
  return db.coding.create({ data: { transcriptId, interviewId, codeId, start, end, quote: "x".repeat(end - start), ...extra }, select: { id: true } });
}

beforeAll(async () => {
  await ensureReference();
  researcher = await signedInUser("forschung.codebook", ["researcher"]);
  manager = grantFor(researcher.user, "manage", "codebook");
  const caseRow = await insertCase("LOE-2016-0100", await municipalityId("08336050"));
  const interview = await db.interview.create({
    data: {
      code: "INT-CB-0001",
      caseId: caseRow.id,
      date: new Date("2025-03-11T00:00:00Z"),
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      consents: { create: { version: 1, givenBy: "person", givenAt: new Date("2025-03-11T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "1.0", scopeAnalysis: true } },
      transcript: { create: { source: "manual", paragraphs: { create: [{ position: 0, speaker: "B", startMs: 0, endMs: 1000, text: "Ein Text mit genug Zeichen für alle Codings in diesem Test." }] } } },
    },
    select: { id: true, transcript: { select: { id: true } } },
  });
  interviewId = interview.id;
  transcriptId = interview.transcript!.id;
});

describe("seeded codebook", () => {
  it("has the four dimensions and the cross-cutting codes as roots with their codes, proper umlauts and readable colours", async () => {
    const tree = await loadCodebook(manager);
    expect(tree.map((n) => n.key)).toEqual(["STR", "KUL", "SOZ", "IDE", "X"]);
    expect(tree.map((n) => n.name)).toEqual(["Strukturelle Integration", "Kulturelle Integration", "Soziale Integration", "Identifikatorische Integration", "Querschnittscodes"]);
    expect(tree.find((n) => n.key === "X")!.nameEn).toBe("Cross-cutting codes");
    expect(tree.map((n) => n.children.length)).toEqual([5, 4, 4, 5, 10]);
    const all = flatten(tree);
    expect(all).toHaveLength(33);
    const byKey = new Map(all.map((c) => [c.key, c]));
    expect(byKey.get("STR.ARB")).toMatchObject({ name: "Arbeit: Suche, Beschäftigung, Bedingungen", nameEn: "Work: job search, employment, conditions", examples: ["Seit März arbeite ich im Lager, aber befristet."] });
    expect(byKey.get("IDE.BLE")!.name).toBe("Bleibe- vs. Rückkehrorientierung");
    expect(byKey.get("X.BEH")!.name).toBe("Behördenerfahrung");
    for (const c of all) expect(c.name, c.key ?? "").not.toMatch(/(ae|oe|ue)(?!r|l|n|s)/i);
    expect(all.filter((c) => c.specialCategory).map((c) => c.key)).toEqual(["X.GES"]);
    // every code's colour carries black or white text at WCAG AA, and codes of one dimension differ
    for (const c of all) expect(contrastRatio(c.colour, readableTextColour(c.colour)), `${c.key} ${c.colour}`).toBeGreaterThanOrEqual(4.5);
    for (const root of tree) expect(new Set(root.children.map((c) => c.colour)).size).toBe(root.children.length);
  });

  it("is idempotent, keeps what researchers changed, and does not bring back a deleted seeded code", async () => {
    const before = await db.code.count();
    expect(await seedCodebook(db)).toEqual({ created: 0 });
    expect(await db.code.count()).toBe(before);
    const hsp = await key("KUL.HSP");
    expect(await updateCode(null, manager, hsp, { name: "Herkunftssprachen", colour: "#123456" })).toEqual({ ok: true });
    expect(await deleteCode(null, manager, await key("KUL.WER"), { codings: "none" })).toMatchObject({ ok: true });
    await seedReference(db);
    expect(await db.code.findUnique({ where: { key: "KUL.WER" } })).toBeNull();
    expect(await db.code.findUniqueOrThrow({ where: { key: "KUL.HSP" }, select: { name: true, colour: true } })).toEqual({ name: "Herkunftssprachen", colour: "#123456" });
  });
});

describe("codebook operations", () => {
  it("adds a sub-code, refuses a duplicate name and a bad colour, and audits", async () => {
    const parent = await key("STR");
    const made = await createCode(null, manager, { parentId: parent, name: "Praktikum", nameEn: "Internship", colour: "#A9C8EC", description: "Praktika vor der Ausbildung", examples: ["Drei Wochen im Betrieb", " "] });
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(await getCode(manager, made.id)).toMatchObject({ name: "Praktikum", colour: "#a9c8ec", examples: ["Drei Wochen im Betrieb"], usage: 0, position: 5 });
    expect(await createCode(null, manager, { parentId: parent, name: " praktikum ", colour: "#000000" })).toEqual({ ok: false, error: "name-taken" });
    expect(await createCode(null, manager, { parentId: parent, name: "Neu", colour: "red" })).toEqual({ ok: false, error: "colour-invalid" });
    expect(await db.auditLog.count({ where: { action: "code.create", entityId: made.id } })).toBe(1);
    expect(await statusOf(() => getCode(manager, "no-such-code"))).toBe(404);
  });

  it("refuses an edit based on an older state of the code (someone changed it since), and takes it on the newer state", async () => {
    const hsp = await key("KUL.HSP");
    const loaded = (await getCode(manager, hsp)).updatedAt;
    expect(await updateCode(null, manager, hsp, { name: "Herkunftssprachen", colour: "#123456", description: "Von der ersten Person." }, loaded)).toEqual({ ok: true });
    expect(await updateCode(null, manager, hsp, { name: "Herkunftssprachen", colour: "#123456", description: "Von der zweiten Person." }, loaded)).toEqual({ ok: false, error: "changed-meanwhile" });
    expect((await getCode(manager, hsp)).description).toBe("Von der ersten Person.");
    expect(await updateCode(null, manager, hsp, { name: "Herkunftssprachen", colour: "#123456", description: "Von der zweiten Person." }, (await getCode(manager, hsp)).updatedAt)).toEqual({ ok: true });
    expect((await getCode(manager, hsp)).description).toBe("Von der zweiten Person.");
  });

  it("moves a code and its sub-codes, and refuses to put a code under its own descendant", async () => {
    const soz = await key("SOZ");
    const ver = await key("SOZ.VER");
    const made = await createCode(null, manager, { parentId: ver, name: "Sportverein", colour: "#ffe0b2" });
    if (!made.ok) throw new Error(made.error);
    expect(await moveCode(null, manager, soz, { parentId: made.id, position: 0 })).toEqual({ ok: false, error: "cycle" });
    expect(await moveCode(null, manager, soz, { parentId: soz, position: 0 })).toEqual({ ok: false, error: "cycle" });
    expect(await moveCode(null, manager, ver, { parentId: await key("X"), position: 0 })).toEqual({ ok: true });
    const x = (await loadCodebook(manager)).find((n) => n.key === "X")!;
    expect(x.children[0]!.key).toBe("SOZ.VER");
    expect(x.children[0]!.children.map((c) => c.name)).toEqual(["Sportverein"]);
    expect(x.children.map((c) => c.position)).toEqual(x.children.map((_, i) => i));
    const soz2 = (await loadCodebook(manager)).find((n) => n.key === "SOZ")!;
    expect(soz2.children.map((c) => c.position)).toEqual([0, 1, 2]);
    expect(await db.auditLog.count({ where: { action: "code.move", entityId: ver } })).toBe(1);
  });

  it("merges a code into another: codings, memos and links move, identical passages collapse into one", async () => {
    const source = await key("X.NET");
    const target = await key("SOZ.KON");
    const same = await coding(target, 0, 8, { comment: "Ziel" });
    const twin = await coding(source, 0, 8, { comment: "Quelle" });
    const other = await coding(source, 10, 20);
    const memoOnTwin = await db.memo.create({ data: { type: "other", title: "zur Stelle", contentJson: "{}", contentHtml: "", contentText: "", codingId: twin.id }, select: { id: true } });
    const memoOnCode = await db.memo.create({ data: { type: "code", title: "zum Code", contentJson: "{}", contentHtml: "", contentText: "", codeId: source }, select: { id: true } });
    const result = await mergeCodes(null, manager, source, target);
    expect(result).toEqual({ ok: true, codingsMoved: 1, duplicatesCollapsed: 1, memosMoved: 1 });
    expect(await db.code.findUnique({ where: { id: source } })).toBeNull();
    expect(await db.coding.findUniqueOrThrow({ where: { id: other.id }, select: { codeId: true } })).toEqual({ codeId: target });
    expect(await db.coding.findUnique({ where: { id: twin.id } })).toBeNull();
    expect(await db.coding.findUniqueOrThrow({ where: { id: same.id }, select: { comment: true } })).toEqual({ comment: "Ziel\nQuelle" });
    expect(await db.memo.findUniqueOrThrow({ where: { id: memoOnTwin.id }, select: { codingId: true } })).toEqual({ codingId: same.id });
    expect(await db.memo.findUniqueOrThrow({ where: { id: memoOnCode.id }, select: { codeId: true } })).toEqual({ codeId: target });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "code.merge", entityId: source }, select: { detail: true } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ key: "X.NET", targetId: target, codingsMoved: 1, duplicatesCollapsed: 1 });
  });

  it("refuses merges that would lose the Art. 9 flag, break consent, or put a code into its own sub-code", async () => {
    const ges = await key("X.GES");
    const fam = await key("X.FAM");
    expect(await mergeCodes(null, manager, ges, fam)).toEqual({ ok: false, error: "special-to-ordinary" });
    await coding(fam, 30, 40);
    expect(await mergeCodes(null, manager, fam, ges)).toEqual({ ok: false, error: "consent-special" });
    expect(await mergeCodes(null, manager, await key("IDE"), await key("IDE.AMB"))).toEqual({ ok: false, error: "merge-into-descendant" });
    expect(await mergeCodes(null, manager, fam, fam)).toEqual({ ok: false, error: "same-code" });
    expect(await updateCode(null, manager, fam, { name: "Familie", colour: "#80cbc4", specialCategory: true })).toEqual({ ok: false, error: "special-in-use" });
  });

  it("deletes a used code only with a decision: reassign its codings, or delete them when confirmed", async () => {
    const zuk = await key("X.ZUK");
    const wen = await key("X.WEN");
    const moved = await coding(zuk, 2, 9);
    expect(await deleteCode(null, manager, zuk, { codings: "none" })).toEqual({ ok: false, error: "in-use" });
    expect(await deleteCode(null, manager, zuk, { codings: "reassign", targetId: zuk })).toEqual({ ok: false, error: "same-code" });
    expect(await deleteCode(null, manager, zuk, { codings: "reassign", targetId: wen })).toEqual({ ok: true, codingsDeleted: 0, codingsMoved: 1 });
    expect(await db.coding.findUniqueOrThrow({ where: { id: moved.id }, select: { codeId: true } })).toEqual({ codeId: wen });

    const dropped = await coding(wen, 3, 12);
    expect(await deleteCode(null, manager, wen, { codings: "delete", confirm: false, ground: "no_longer_necessary" })).toEqual({ ok: false, error: "confirm-required" });
    expect(await db.coding.count({ where: { codeId: wen } })).toBe(2);
    expect(await deleteCode(null, manager, wen, { codings: "delete", confirm: true, ground: "no_longer_necessary" })).toEqual({ ok: true, codingsDeleted: 2, codingsMoved: 0 });
    expect(await db.coding.findUnique({ where: { id: dropped.id } })).toBeNull();
    expect(await db.auditLog.count({ where: { action: "code.delete", entityId: { in: [zuk, wen] } } })).toBe(2);
  });

  it("lifts the sub-codes of a deleted code one level up", async () => {
    const ide = await key("IDE");
    expect(await deleteCode(null, manager, ide, { codings: "none" })).toMatchObject({ ok: true });
    const roots = await loadCodebook(manager);
    expect(roots.map((r) => r.key)).toEqual(["STR", "KUL", "SOZ", "X", "IDE.ZDE", "IDE.ZOR", "IDE.HER", "IDE.AMB", "IDE.BLE"]);
  });

  it("is only for those who manage the codebook", async () => {
    const loerrach = await municipalityId("08336050");
    const im = await signedInUser("im.codebook", ["integration_manager"], [loerrach]);
    const grant: Grant = { user: im.user, access: "own" };
    expect(await statusOf(() => createCode(null, grant, { parentId: null, name: "X", colour: "#000000" }))).toBe(403);
    expect(await statusOf(() => deleteCode(null, grant, "whatever", { codings: "none" }))).toBe(403);
  });
});

describe("deleting a code through its page", () => {
  const post = (codeId: string, fields: Record<string, string>) => codePage.action({ request: postRequest(`/codebook/${codeId}`, researcher, { intent: "delete", ...fields }), params: { codeId }, ...ctx });

  it("drops its codings only with a legal ground: without one nothing is deleted and the note typed comes back", async () => {
    const beh = await key("X.BEH");
    const kept = await coding(beh, 1, 6);
    for (const [ground, note, field, message] of [
      ["", "Kategorie verworfen", "ground", "validation.choose"],
      ["weil ich es sage", "", "ground", "validation.choose"],
      ["no_longer_necessary", "x".repeat(201), "note", 'validation.tooLong|{"max":200}'],
    ] as const) {
      const res = await post(beh, { codings: "delete", confirm: "on", ground, note });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
      expect(body.result.error).toEqual({ [field]: [message] });
      expect(body.result.initialValue.note ?? "").toBe(note);
    }
    expect(await db.coding.findUnique({ where: { id: kept.id }, select: { codeId: true } })).toEqual({ codeId: beh });
    expect(await db.auditLog.count({ where: { action: "code.delete", entityId: beh } })).toBe(0);

    const res = await post(beh, { codings: "delete", confirm: "on", ground: "no_longer_necessary", note: "Kategorie verworfen" });
    expect(res.status).toBe(302);
    expect(await db.coding.findUnique({ where: { id: kept.id } })).toBeNull();
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "code.delete", entityId: beh } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ codings: "delete", codingsDeleted: 1, ground: "no_longer_necessary", note: "Kategorie verworfen" });
  });

  it("asks no ground when the codings move to another code or the code is unused (nothing of an interview is deleted)", async () => {
    const [from, to, unused] = [await key("X.FLU"), await key("X.AUF"), await key("X.WOH")];
    const moved = await coding(from, 1, 6);
    expect((await post(from, { codings: "reassign", targetId: to })).status).toBe(302);
    expect(await db.coding.findUniqueOrThrow({ where: { id: moved.id }, select: { codeId: true } })).toEqual({ codeId: to });
    expect((await post(unused, { codings: "none" })).status).toBe(302);
    const details = (await db.auditLog.findMany({ where: { action: "code.delete", entityId: { in: [from, unused] } }, select: { detail: true } })).map((e) => JSON.parse(e.detail!));
    expect(details).toHaveLength(2);
    for (const d of details) expect(d).not.toHaveProperty("ground");
  });
});
