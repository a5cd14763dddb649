// Deleting a narrative erases it for good (its quotes of interviews with it), so it needs a legal ground (ADR 0012):
// refused without one (nothing deleted, the note typed comes back), audited with ground and note when given.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { ctx, ensureReference, insertCase, municipalityId, postRequest, signedInUser, type TestUser } from "../../app/cases/test-support.ts";
import * as narrativePage from "../../app/routes/narratives.$narrativeId._index.tsx";

let researcher: TestUser;
let caseId: string;

beforeAll(async () => {
  await ensureReference();
  researcher = await signedInUser("forschung.narrative-delete", ["researcher"]);
  caseId = (await insertCase("LOE-2016-0400", await municipalityId("08336050"))).id;
});

const draft = async (status = "draft") => (await db.narrative.create({ data: { caseId, title: "Ein Weg", status, authorId: researcher.user.id }, select: { id: true } })).id;
const remove = (narrativeId: string, fields: Record<string, string>) => narrativePage.action({ request: postRequest(`/narratives/${narrativeId}`, researcher, { intent: "delete", ...fields }), params: { narrativeId }, ...ctx });

describe("deleting a narrative", () => {
  it("without a legal ground deletes nothing, says so at the field and gives the note typed back", async () => {
    const id = await draft();
    for (const [ground, note, field, message] of [
      ["", "Entwurf verworfen", "ground", "validation.choose"],
      ["weil ich es sage", "", "ground", "validation.choose"],
      ["no_longer_necessary", "x".repeat(201), "note", 'validation.tooLong|{"max":200}'],
    ] as const) {
      const res = await remove(id, { ground, note });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { deleteResult: { error: Record<string, string[]>; initialValue: Record<string, string> } };
      expect(body.deleteResult.error).toEqual({ [field]: [message] });
      expect(body.deleteResult.initialValue.note ?? "").toBe(note);
    }
    expect(await db.narrative.count({ where: { id } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "narrative.delete", entityId: id } })).toBe(0);
  });

  it("with a legal ground deletes a draft or a retracted narrative, audited with the ground and the note", async () => {
    for (const [status, note] of [["draft", "Entwurf verworfen"], ["retracted", ""]] as const) {
      const id = await draft(status);
      const res = await remove(id, { ground: "no_longer_necessary", note });
      expect(res.status).toBe(302);
      expect(await db.narrative.count({ where: { id } })).toBe(0);
      const entry = await db.auditLog.findFirstOrThrow({ where: { action: "narrative.delete", entityId: id } });
      expect(JSON.parse(entry.detail!)).toEqual({ ground: "no_longer_necessary", ...(note ? { note } : {}) });
    }
  });
});
