// The consent gates: every processing step asks mayProcess / requireScope, which answers from the current
// consent version only. Each gated step is refused without its scope (and the refusal names it) and allowed
// with it; no consent, an older version or a withdrawn interview refuse everything.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { mayProcess, mayRecontact, mayTranscribe, mayTranscribeExternally, requireScope, withScope } from "./gates.server.ts";
import { CONSENT_SCOPES, scopeColumn, type ConsentScope } from "./scopes.ts";
import { createInterview } from "../interviews/interviews.server.ts";
import { addConsentVersion, consentSelect, recordConsent, withoutScopes, type ConsentValues } from "../interviews/consent.server.ts";
import { ensureReference, grantFor, insertCase, municipalityId, signedInUser } from "../cases/test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { todayInGermany } from "../utils/validation.ts";

let grant: Grant;
let caseId: string;

const consent = (scopes: ConsentScope[]): ConsentValues => ({
  givenBy: "person",
  givenAt: new Date("2025-02-03T00:00:00Z"),
  takenById: grant.user.id,
  form: "written",
  language: "de",
  infoSheetVersion: "Infoblatt v1",
  copyHandedOver: true,
  interpreterPresent: false,
  interpreterConfidentiality: false,
  ...(Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), scopes.includes(s)])) as Record<ReturnType<typeof scopeColumn>, boolean>),
});

async function interview() {
  return (await createInterview(null, grant, caseId, { date: new Date("2025-02-03T00:00:00Z"), placeType: "office", languages: ["de"], interviewerId: grant.user.id })).id;
}

beforeAll(async () => {
  await ensureReference();
  const researcher = await signedInUser("forschung.gates", ["researcher"]);
  grant = grantFor(researcher.user, "write", "interview");
  caseId = (await insertCase("LOE-2020-0099", await municipalityId("08336050"))).id;
});

// Every scope gates a step (docs/decisions/0018): upload and playing (recording), transcription, importing an
// external transcript and the download for an external service (externalTranscription, tests in
// transcripts.test.ts and recordings/external-download.test.ts), analysis, linking, quotation, archiving (REFI
// export), specialCategories, and a follow-up interview (recontact, via mayRecontact; interviews.test.ts).
const GATED: ConsentScope[] = ["recording", "transcription", "analysis", "linking", "quotation", "externalTranscription", "archiving", "specialCategories", "recontact"];

describe("consent gates", () => {
  for (const scope of GATED) {
    it(`${scope}: refused without the scope, naming it; allowed with it`, async () => {
      const id = await interview();
      const others = CONSENT_SCOPES.filter((s) => s !== scope);
      await recordConsent(null, grant, id, consent(others));
      expect(await mayProcess(id, scope)).toEqual({ ok: false, missing: scope, reason: "scope-missing" });
      // every other scope passes: the refusal is about this one
      for (const s of others) expect(await mayProcess(id, s)).toEqual({ ok: true });

      // Granted later (a new version with it added; taking others back would need a withdrawal).
      await recordConsent(null, grant, id, consent([...CONSENT_SCOPES]));
      expect(await mayProcess(id, scope)).toEqual({ ok: true });
      await expect(requireScope(id, scope)).resolves.toBeUndefined();
    });
  }

  it("externalTranscription gates the external path only: whisper here asks mayTranscribe, which does not need it", async () => {
    const id = await interview();
    await recordConsent(null, grant, id, consent(CONSENT_SCOPES.filter((s) => s !== "externalTranscription")));
    expect(await mayTranscribe(id)).toEqual({ ok: true });
    expect(await mayTranscribeExternally(id)).toEqual({ ok: false, missing: "externalTranscription", reason: "scope-missing" });
    // Sending the audio out needs the recording scope as well.
    const noAudio = await interview();
    await recordConsent(null, grant, noAudio, consent(CONSENT_SCOPES.filter((s) => s !== "recording")));
    expect(await mayTranscribeExternally(noAudio)).toEqual({ ok: false, missing: "recording", reason: "scope-missing" });
  });

  it("recontact is read from the person's latest consented interview, not from any of them", async () => {
    const own = (await insertCase("LOE-2020-0098", await municipalityId("08336050"))).id;
    const dated = async (date: string) => (await createInterview(null, grant, own, { date: new Date(`${date}T00:00:00Z`), placeType: "office", languages: ["de"], interviewerId: grant.user.id })).id;
    const older = await dated("2024-01-10");
    const newer = await dated("2025-01-10");
    // Interviews without any recorded consent: a further one would skip the person's say.
    expect(await mayRecontact(own)).toEqual({ ok: false, basedOn: null, reason: "no-consent" });
    await recordConsent(null, grant, older, consent([...CONSENT_SCOPES]));
    // The newer interview is only planned (no consent): the older one's decision counts.
    expect(await mayRecontact(own)).toMatchObject({ ok: true, basedOn: { id: older } });
    await recordConsent(null, grant, newer, consent(CONSENT_SCOPES.filter((s) => s !== "recontact")));
    expect(await mayRecontact(own)).toMatchObject({ ok: false, basedOn: { kind: "consent", id: newer }, reason: "scope-missing" });
  });

  it("recontact follows the person's latest decision by the day given, over all versions of all interviews", async () => {
    const own = (await insertCase("LOE-2020-0097", await municipalityId("08336050"))).id;
    const dated = async (date: string) => (await createInterview(null, grant, own, { date: new Date(`${date}T00:00:00Z`), placeType: "office", languages: ["de"], interviewerId: grant.user.id })).id;
    const given = (scopes: ConsentScope[], day: string) => ({ ...consent(scopes), givenAt: new Date(`${day}T00:00:00Z`) });
    const older = await dated("2024-01-10");
    const newer = await dated("2025-01-10");
    await recordConsent(null, grant, older, given([...CONSENT_SCOPES], "2024-01-10"));
    await recordConsent(null, grant, newer, given([...CONSENT_SCOPES], "2025-01-10"));
    expect(await mayRecontact(own)).toEqual({ ok: true, basedOn: { kind: "consent", id: newer, code: expect.any(String), date: "2025-01-10" } });
    // Later the person takes recontact back; it is recorded on the older interview's form: that decision is newer.
    await recordConsent(null, grant, older, given(CONSENT_SCOPES.filter((s) => s !== "recontact"), "2025-03-01"));
    expect(await mayRecontact(own)).toMatchObject({ ok: false, basedOn: { kind: "consent", id: older, date: "2025-03-01" }, reason: "scope-missing" });
    // A consent given the same day but recorded later counts (for equal days, when it was recorded).
    await recordConsent(null, grant, newer, given([...CONSENT_SCOPES], "2025-03-01"));
    expect(await mayRecontact(own)).toMatchObject({ ok: true, basedOn: { kind: "consent", id: newer, date: "2025-03-01" } });
  });

  it("a whole withdrawal is lifted by a later consent, not by new versions that copy an earlier decision", async () => {
    const own = (await insertCase("LOE-2020-0096", await municipalityId("08336050"))).id;
    const dated = async (date: string) => (await createInterview(null, grant, own, { date: new Date(`${date}T00:00:00Z`), placeType: "office", languages: ["de"], interviewerId: grant.user.id })).id;
    const given = (scopes: ConsentScope[], day: string, infoSheetVersion = "Infoblatt v1") => ({ ...consent(scopes), givenAt: new Date(`${day}T00:00:00Z`), infoSheetVersion });
    const withdrawnOne = await dated("2025-01-10");
    const other = await dated("2025-02-01");
    await recordConsent(null, grant, withdrawnOne, given([...CONSENT_SCOPES], "2025-01-10"));
    await recordConsent(null, grant, other, given([...CONSENT_SCOPES], "2025-02-01"));
    // The person withdraws the first interview as a whole (late in the evening: 2 May in Germany); it is erased.
    await db.withdrawal.create({ data: { interviewId: withdrawnOne, caseId: own, scope: "whole", parts: '["interview"]', status: "done", requestedAt: new Date("2025-05-01T23:30:00Z") } });
    await db.interview.delete({ where: { id: withdrawnOne } });
    const refused = { ok: false, basedOn: { kind: "withdrawal", id: withdrawnOne, code: null, date: "2025-05-02" }, reason: "withdrawn" };
    expect(await mayRecontact(own)).toEqual(refused);
    // A clerical fix of the other interview's consent (the information sheet's version) copies its decision.
    await recordConsent(null, grant, other, given([...CONSENT_SCOPES], "2025-02-01", "Infoblatt v1.1"));
    expect(await mayRecontact(own)).toEqual(refused);
    // So does the version a partial withdrawal writes.
    const current = await db.consentRecord.findFirstOrThrow({ where: { interviewId: other, current: true }, select: consentSelect });
    await db.$transaction((tx) => addConsentVersion(null, grant.user, tx, other, withoutScopes(current, ["recording"]), "withdrawal"));
    expect(await db.consentRecord.count({ where: { interviewId: other } })).toBe(3);
    expect(await mayRecontact(own)).toEqual(refused);
    // A new consent given after it lifts it.
    await recordConsent(null, grant, other, given(CONSENT_SCOPES.filter((s) => s !== "recording"), "2025-05-03"));
    expect(await mayRecontact(own)).toMatchObject({ ok: true, basedOn: { kind: "consent", id: other, date: "2025-05-03" } });
  });

  it("on the withdrawal's day the decision recorded later wins: a consent recorded after it lifts it, one recorded before does not", async () => {
    const dated = async (ofCase: string, date: string) => (await createInterview(null, grant, ofCase, { date: new Date(`${date}T00:00:00Z`), placeType: "office", languages: ["de"], interviewerId: grant.user.id })).id;
    const given = (scopes: ConsentScope[], day: string) => ({ ...consent(scopes), givenAt: new Date(`${day}T00:00:00Z`) });
    const withdraw = async (ofCase: string, interviewId: string, requestedAt: Date) => {
      await db.withdrawal.create({ data: { interviewId, caseId: ofCase, scope: "whole", parts: '["interview"]', status: "done", requestedAt } });
      await db.interview.delete({ where: { id: interviewId } });
    };

    // Withdrawal first (recorded on 1 July in the morning), then, the same day, a consent allowing recontact again.
    const lifted = (await insertCase("LOE-2020-0095", await municipalityId("08336050"))).id;
    const [gone, kept] = [await dated(lifted, "2025-03-01"), await dated(lifted, "2025-04-01")];
    await recordConsent(null, grant, gone, given([...CONSENT_SCOPES], "2025-03-01"));
    await recordConsent(null, grant, kept, given([...CONSENT_SCOPES], "2025-04-01"));
    await withdraw(lifted, gone, new Date("2025-07-01T08:00:00Z"));
    expect(await mayRecontact(lifted)).toMatchObject({ ok: false, reason: "withdrawn", basedOn: { kind: "withdrawal", date: "2025-07-01" } });
    await recordConsent(null, grant, kept, given([...CONSENT_SCOPES], "2025-07-01"));
    expect(await mayRecontact(lifted)).toEqual({ ok: true, basedOn: { kind: "consent", id: kept, code: expect.any(String), date: "2025-07-01" } });

    // A consent given and recorded today, then a withdrawal of today: the withdrawal is the later decision.
    const today = todayInGermany();
    const notLifted = (await insertCase("LOE-2020-0094", await municipalityId("08336050"))).id;
    const [withdrawn, other] = [await dated(notLifted, "2025-03-01"), await dated(notLifted, "2025-04-01")];
    await recordConsent(null, grant, withdrawn, given([...CONSENT_SCOPES], "2025-03-01"));
    await recordConsent(null, grant, other, given([...CONSENT_SCOPES], today));
    expect(await mayRecontact(notLifted)).toMatchObject({ ok: true, basedOn: { id: other, date: today } });
    await withdraw(notLifted, withdrawn, new Date());
    const refused = { ok: false, basedOn: { kind: "withdrawal", id: withdrawn, code: null, date: today }, reason: "withdrawn" };
    expect(await mayRecontact(notLifted)).toEqual(refused);
    // The version a partial withdrawal then writes copies that earlier decision: written later, it still lifts nothing.
    const current = await db.consentRecord.findFirstOrThrow({ where: { interviewId: other, current: true }, select: consentSelect });
    await db.$transaction((tx) => addConsentVersion(null, grant.user, tx, other, withoutScopes(current, ["recording"]), "withdrawal"));
    expect(await mayRecontact(notLifted)).toEqual(refused);
  });

  it("a refusal is a 403 whose body names the missing scope", async () => {
    const id = await interview();
    await recordConsent(null, grant, id, consent(["recording"]));
    const thrown = await requireScope(id, "transcription").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    const res = thrown as Response;
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "consent-missing", scope: "transcription", reason: "scope-missing" });
  });

  it("without any consent every step is refused", async () => {
    const id = await interview();
    for (const scope of CONSENT_SCOPES) expect(await mayProcess(id, scope)).toEqual({ ok: false, missing: scope, reason: "no-consent" });
  });

  it("only the current version counts: a scope taken back in a newer version is refused", async () => {
    const id = await interview();
    await recordConsent(null, grant, id, consent([...CONSENT_SCOPES]));
    // The form may take back scopes no withdrawal part erases for (analysis and the like go through a withdrawal).
    await recordConsent(null, grant, id, consent(CONSENT_SCOPES.filter((s) => s !== "quotation")));
    expect(await mayProcess(id, "recording")).toEqual({ ok: true });
    expect(await mayProcess(id, "quotation")).toMatchObject({ ok: false, missing: "quotation" });
  });

  it("a withdrawn or unknown interview is refused for every scope, whatever the consent says", async () => {
    const id = await interview();
    await recordConsent(null, grant, id, consent([...CONSENT_SCOPES]));
    await db.interview.update({ where: { id }, data: { status: "withdrawn" } });
    for (const scope of CONSENT_SCOPES) expect(await mayProcess(id, scope)).toMatchObject({ ok: false, reason: "withdrawn" });
    expect(await mayProcess("no-such-interview", "recording")).toMatchObject({ ok: false, reason: "withdrawn" });
  });

  it("withScope selects, inside the query, interviews whose current consent has the scope", async () => {
    const yes = await interview();
    const no = await interview();
    const older = await interview();
    await recordConsent(null, grant, yes, consent(["quotation"]));
    await recordConsent(null, grant, no, consent(["analysis"]));
    await recordConsent(null, grant, older, consent(["quotation"]));
    await recordConsent(null, grant, older, consent([]));
    const found = await db.interview.findMany({ where: { id: { in: [yes, no, older] }, ...withScope("quotation") }, select: { id: true } });
    expect(found.map((f) => f.id)).toEqual([yes]);
  });
});
