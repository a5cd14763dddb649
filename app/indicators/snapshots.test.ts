import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { action as recordAction, loader as overviewLoader } from "../routes/cases.$caseId.snapshots.tsx";
import { loader as historyLoader } from "../routes/cases.$caseId.snapshots.$indicatorCode.tsx";
import { daysAgo, indicatorId, makeCase, makeUser, municipalityId, respond, signIn, snap, type SignedIn } from "../dashboard/test-support.server.ts";
import { parseSnapshotValue } from "./snapshot-form.ts";

let im: SignedIn;
let otherIm: SignedIn;
let commissioner: SignedIn;
let caseId: string;
const today = new Date().toISOString().slice(0, 10);

const post = (who: SignedIn, fields: Record<string, string | string[]>, options?: { csrf?: boolean }, id = caseId) =>
  respond(() => recordAction({ request: who.post(`/cases/${id}/snapshots`, fields, options), params: { caseId: id }, context: {} }));

const counts = async () => ({
  snapshots: await db.snapshot.count({ where: { caseId } }),
  audits: await db.auditLog.count({ where: { action: "snapshot.create" } }),
});

const valid = { indicator: "S.DTNIV", state: "known", value: "B1", observedAt: "2026-01-15", source: "dokument" };

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  im = await signIn(await makeUser("im", ["integration_manager"], [loerrach]));
  otherIm = await signIn(await makeUser("im.other", ["integration_manager"], [weil]));
  commissioner = await signIn(await makeUser("comm", ["commissioner"]));
  caseId = (await makeCase(loerrach)).id;
});

describe("recording a snapshot", () => {
  it("refuses a value the indicator does not allow, says so next to the field, and saves nothing", async () => {
    const before = await counts();
    const res = await post(im, { ...valid, value: "Z9" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error.value).toEqual(["indicators:value.notAllowed"]);
    expect(await counts()).toEqual(before);
  });

  it("checks every value type on the server: likert, number range, date, boolean, missing value", async () => {
    const before = await counts();
    const cases: [Record<string, string>, string][] = [
      [{ indicator: "S.ZUGDE", value: "7" }, "indicators:value.likert"],
      [{ indicator: "S.LZUF", value: "11" }, "indicators:value.range"],
      [{ indicator: "S.LZUF", value: "viel" }, "indicators:value.number"],
      [{ indicator: "S.EINB", value: "2024-13-45" }, "indicators:value.date"],
      [{ indicator: "S.VEREIN", value: "vielleicht" }, "indicators:value.required"],
      [{ indicator: "S.DTNIV", value: "" }, "indicators:value.required"],
      [{ indicator: "P.STAAT", value: "SYR, Syrien" }, "indicators:value.nationality"],
    ];
    for (const [fields, error] of cases) {
      const res = await post(im, { ...valid, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const body = (await res.json()) as { result: { error: Record<string, string[]> } };
      expect(body.result.error.value, JSON.stringify(fields)).toEqual([error]);
    }
    expect(await counts()).toEqual(before);
  });

  it("reports every mistake at once: future date, missing source and wrong value", async () => {
    const future = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
    const res = await post(im, { indicator: "S.DTNIV", state: "known", value: "Z9", observedAt: future });
    expect(res.status).toBe(400);
    const { result } = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(result.error.observedAt).toEqual(["validation.futureDate"]);
    expect(result.error.source).toEqual(["validation.choose"]);
    expect(result.error.value).toEqual(["indicators:value.notAllowed"]);
  });

  it("refuses a blank state and an unknown indicator", async () => {
    const before = await counts();
    const noState = await post(im, { ...valid, state: "" });
    expect(((await noState.json()) as { result: { error: Record<string, string[]> } }).result.error.state).toEqual(["validation.choose"]);
    const unknownIndicator = await post(im, { ...valid, indicator: "X.NOPE" });
    expect(((await unknownIndicator.json()) as { result: { error: Record<string, string[]> } }).result.error.indicator).toEqual(["indicators:value.indicator"]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a form without the CSRF token, a case outside the scope and a role without write access", async () => {
    const before = await counts();
    expect((await post(im, valid, { csrf: false })).status).toBe(403);
    expect((await post(otherIm, valid)).status).toBe(404);
    expect((await post(commissioner, valid)).status).toBe(403);
    expect((await post(im, valid, undefined, "no-such-case")).status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("saves a valid value with its audit entry, which names the indicator but not the value", async () => {
    const res = await post(im, { ...valid, verified: "on" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/cases/${caseId}/snapshots?saved=S.DTNIV#indicator-S.DTNIV`);
    const saved = await db.snapshot.findFirstOrThrow({ where: { caseId, indicatorId: await indicatorId("S.DTNIV") }, orderBy: { createdAt: "desc" } });
    expect(saved).toMatchObject({ state: "known", value: JSON.stringify("B1"), source: "dokument", verified: true });
    expect(saved.observedAt.toISOString()).toBe("2026-01-15T00:00:00.000Z");
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "snapshot.create" }, orderBy: { id: "desc" } });
    expect(entry.entityId).toBe(caseId);
    expect(JSON.parse(entry.detail!)).toEqual({ indicator: "S.DTNIV", snapshotId: saved.id });
    expect(entry.detail).not.toContain("B1");
  });

  it("stores no value for unknown and not applicable, even when one was typed", async () => {
    expect((await post(im, { ...valid, indicator: "S.ERW", state: "unknown", value: "vollzeit" })).status).toBe(302);
    expect((await post(im, { ...valid, indicator: "S.SCHULB", state: "not_applicable", value: "" })).status).toBe(302);
    const rows = await db.snapshot.findMany({ where: { caseId, indicator: { code: { in: ["S.ERW", "S.SCHULB"] } } }, select: { state: true, value: true } });
    expect(rows).toEqual(expect.arrayContaining([{ state: "unknown", value: null }, { state: "not_applicable", value: null }]));
  });

  it("stores multiple choices and nationality codes as lists", async () => {
    expect((await post(im, { ...valid, indicator: "S.LEIST", value: ["sgb2", "sgb3"] })).status).toBe(302);
    expect((await post(im, { ...valid, indicator: "P.STAAT", value: "syr; ukr" })).status).toBe(302);
    const rows = await db.snapshot.findMany({ where: { caseId, indicator: { code: { in: ["S.LEIST", "P.STAAT"] } } }, select: { value: true, indicator: { select: { code: true } } } });
    const byCode = Object.fromEntries(rows.map((r) => [r.indicator.code, JSON.parse(r.value!)]));
    expect(byCode).toEqual({ "S.LEIST": ["sgb2", "sgb3"], "P.STAAT": ["SYR", "UKR"] });
    const nationality = { code: "P.STAAT", type: "multi", allowedValues: null, minValue: null, maxValue: null } as const;
    expect(parseSnapshotValue(nationality, "SY")).toEqual({ ok: false, error: "indicators:value.nationality" });
    expect(parseSnapshotValue(nationality, "ungeklärt")).toEqual({ ok: true, value: ["ungeklaert"] });
  });

  it("refuses values that cannot be right: a country code that is none, contradictory choices, fractions, a birth year after the observation", async () => {
    const before = await db.snapshot.count({ where: { caseId } });
    const refused = async (fields: Record<string, string | string[]>) => {
      const res = await post(im, { ...valid, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      return JSON.stringify(await res.json());
    };
    expect(await refused({ indicator: "P.STAAT", value: "XYZ" })).toContain("indicators:value.unknownCountry");
    expect(await refused({ indicator: "P.STAAT", value: "staatenlos, SYR" })).toContain("indicators:value.exclusive");
    expect(await refused({ indicator: "S.LEIST", value: ["keiner", "sgb2"] })).toContain("indicators:value.exclusive");
    expect(await refused({ indicator: "P.GEBJ", value: "1990.5" })).toContain("indicators:value.wholeNumber");
    expect(await refused({ indicator: "S.LZUF", value: "7,5" })).toContain("indicators:value.wholeNumber");
    expect(await refused({ indicator: "P.GEBJ", value: "2030", observedAt: "2026-01-15" })).toContain("indicators:value.birthYearAfter");
    expect(await db.snapshot.count({ where: { caseId } })).toBe(before);
    expect((await post(im, { ...valid, indicator: "P.GEBJ", value: "1990" })).status).toBe(302);
  });
});

describe("overview and history", () => {
  it("shows the latest observation per indicator with its gap state, and the history newest first with who recorded it", async () => {
    const kase = await makeCase(await municipalityId("08336050"));
    await snap(kase.id, "S.IK", "known", daysAgo(800), "berechtigt");
    await snap(kase.id, "S.IK", "known", daysAgo(30), "laufend");
    await snap(kase.id, "S.ERW", "known", daysAgo(500), "teilzeit"); // older than 12 months: stale
    await snap(kase.id, "S.BERUF", "unknown", daysAgo(10));
    const res = await respond(() => overviewLoader({ request: im.get(`/cases/${kase.id}/snapshots`), params: { caseId: kase.id }, context: {} }));
    const data = (await res.json()) as { indicators: { code: string; current: { state: string; value: unknown; stale: boolean } | null }[] };
    const byCode = Object.fromEntries(data.indicators.map((i) => [i.code, i.current]));
    expect(byCode["S.IK"]).toMatchObject({ state: "known", value: "laufend", stale: false });
    expect(byCode["S.ERW"]).toMatchObject({ state: "known", value: "teilzeit", stale: true });
    expect(byCode["S.BERUF"]).toMatchObject({ state: "unknown", value: null });
    expect(byCode["S.DTNIV"]).toBeNull();

    // a value recorded through the form shows its recorder
    await post(im, { ...valid, indicator: "S.IK", value: "abgebrochen", observedAt: today }, undefined, kase.id);
    const hist = await respond(() => historyLoader({ request: im.get(`/cases/${kase.id}/snapshots/S.IK`), params: { caseId: kase.id, indicatorCode: "S.IK" }, context: {} }));
    const h = (await hist.json()) as { snapshots: { value: unknown; recordedBy: string | null }[] };
    expect(h.snapshots.map((s) => s.value)).toEqual(["abgebrochen", "laufend", "berechtigt"]);
    expect(h.snapshots[0]!.recordedBy).toBe("im (Test)");
  });

  it("answers 404 for a case of another municipality and an unknown indicator", async () => {
    expect((await respond(() => overviewLoader({ request: otherIm.get(`/cases/${caseId}/snapshots`), params: { caseId }, context: {} }))).status).toBe(404);
    expect((await respond(() => historyLoader({ request: otherIm.get(`/cases/${caseId}/snapshots/S.IK`), params: { caseId, indicatorCode: "S.IK" }, context: {} }))).status).toBe(404);
    expect((await respond(() => historyLoader({ request: im.get(`/cases/${caseId}/snapshots/X.NOPE`), params: { caseId, indicatorCode: "X.NOPE" }, context: {} }))).status).toBe(404);
  });
});

// A stale value confirmed in one step: the form starts from the last observation's state and value, and saving it
// with today's date and a source stores the same value again, for every indicator type (nationality as a typed list).
describe("starting from the last value", () => {
  const samples: [string, string | string[]][] = [
    ["S.DTNIV", "B1"],
    ["S.LEIST", ["sgb2", "sgb3"]],
    ["P.STAAT", "SYR, UKR"],
    ["S.LZUF", "7"],
    ["S.EINB", "2023-03-17"],
    ["S.VEREIN", "false"],
    ["S.ZUGDE", "4"],
  ];

  it("takes over state and value of the last observation, and saving them stores the same value again", async () => {
    const kase = await makeCase(await municipalityId("08336050"));
    for (const [code, value] of samples) {
      expect((await post(im, { indicator: code, state: "known", value, observedAt: "2021-05-04", source: "dokument" }, undefined, kase.id)).status, code).toBe(302);
      const res = await respond(() => overviewLoader({ request: im.get(`/cases/${kase.id}/snapshots?indicator=${code}&from=last`), params: { caseId: kase.id }, context: {} }));
      const form = ((await res.json()) as { form: { canTakeLast: boolean; prefill: { state: string; value: string | string[]; observedAt: string } | null } }).form;
      expect(form.canTakeLast, code).toBe(true);
      expect(form.prefill, code).toEqual({ state: "known", value, qualifiers: null, observedAt: "2021-05-04T00:00:00.000Z" });
      expect((await post(im, { indicator: code, state: form.prefill!.state, value: form.prefill!.value, observedAt: today, source: "selbstauskunft" }, undefined, kase.id)).status, code).toBe(302);
      const [newer, older] = await db.snapshot.findMany({ where: { caseId: kase.id, indicator: { code } }, orderBy: { observedAt: "desc" }, select: { value: true, source: true } });
      expect(newer!.value, code).toBe(older!.value);
      expect(newer!.source).toBe("selbstauskunft");
    }
  });

  it("offers nothing to take over for an unknown or never recorded value, and the plain form starts empty", async () => {
    const kase = await makeCase(await municipalityId("08336050"));
    await snap(kase.id, "S.DTNIV", "unknown", daysAgo(400));
    for (const code of ["S.DTNIV", "S.ERW"]) {
      const res = await respond(() => overviewLoader({ request: im.get(`/cases/${kase.id}/snapshots?indicator=${code}&from=last`), params: { caseId: kase.id }, context: {} }));
      const form = ((await res.json()) as { form: { canTakeLast: boolean; prefill: unknown } }).form;
      expect({ code, canTakeLast: form.canTakeLast, prefill: form.prefill }).toEqual({ code, canTakeLast: false, prefill: null });
    }
  });

  it("keeps the details a value may carry (the German level's evidence, where a degree was gained, kinds of association) and refuses others", async () => {
    expect((await post(im, { ...valid, "qualifiers.evidence": "telc" })).status).toBe(302);
    expect((await post(im, { ...valid, indicator: "S.BILD", value: "3", "qualifiers.erworben_in": "de" })).status).toBe(302);
    expect((await post(im, { ...valid, indicator: "S.VEREIN", value: "true", "qualifiers.art": ["sport", "kultur"] })).status).toBe(302);
    // An unknown value has no details, even when some were chosen before "unknown" was ticked.
    expect((await post(im, { ...valid, indicator: "S.ERW", state: "unknown", "qualifiers.evidence": "telc" })).status).toBe(302);
    const latest = async (code: string) => (await db.snapshot.findFirstOrThrow({ where: { caseId, indicator: { code } }, orderBy: { createdAt: "desc" }, select: { qualifiers: true } })).qualifiers;
    expect(JSON.parse((await latest("S.DTNIV"))!)).toEqual({ evidence: "telc" });
    expect(JSON.parse((await latest("S.BILD"))!)).toEqual({ erworben_in: "de" });
    expect(JSON.parse((await latest("S.VEREIN"))!)).toEqual({ art: ["sport", "kultur"] });
    expect(await latest("S.ERW")).toBeNull();
    const before = await db.snapshot.count({ where: { caseId } });
    for (const fields of [{ "qualifiers.evidence": "zertifikat-vom-markt" } as Record<string, string | string[]>, { indicator: "S.BILD", value: "3", "qualifiers.erworben_in": ["de", "herkunft"] }]) {
      const res = await post(im, { ...valid, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain("indicators:value.notAllowed");
    }
    expect(await db.snapshot.count({ where: { caseId } })).toBe(before);
    // The overview shows them after the value, in the page's language.
    const res = await respond(() => overviewLoader({ request: im.get(`/cases/${caseId}/snapshots?indicator=S.DTNIV&from=last`), params: { caseId }, context: {} }));
    const page = (await res.json()) as { indicators: { code: string; current: unknown }[]; form: { qualifiers: string; prefill: unknown } };
    expect(page.indicators.find((i) => i.code === "S.DTNIV")!.current).toMatchObject({ value: "B1", qualifiers: { evidence: "telc" } });
    expect((page as unknown as { case: { archived: boolean } }).case.archived).toBe(false);
    // Taking the last observation over takes its details too; the form knows which details the indicator has.
    expect(page.form.prefill).toMatchObject({ value: "B1", qualifiers: { evidence: "telc" } });
    expect(JSON.parse(page.form.qualifiers)).toEqual([{ key: "evidence", values: ["dtz", "telc", "goethe", "oesd", "selbsteinschaetzung", "einschaetzung_im"], multiple: false }]);
  });

  it("tells the manager on the form when the case is archived (values are still taken)", async () => {
    const archived = (await makeCase(await municipalityId("08336050"))).id;
    await db.case.update({ where: { id: archived }, data: { status: "archived", archiveReason: "moved_away", archivedAt: new Date() } });
    const res = await respond(() => overviewLoader({ request: im.get(`/cases/${archived}/snapshots?indicator=S.DTNIV`), params: { caseId: archived }, context: {} }));
    expect(((await res.json()) as { case: { archived: boolean } }).case.archived).toBe(true);
    expect((await post(im, valid, undefined, archived)).status).toBe(302);
  });
});
