// Demo story <-> number links: from the fixtures' int-0N.links.yaml, each passage that states a fact for an
// indicator becomes a proposal on the coding that covers it (or on a new coding with a fitting code, when the
// reference codings have none there). Some are confirmed by the case's integration manager (a verified snapshot,
// self-report in the interview), and two register values are planted so that the demo shows contradictions:
// int-02 says B1 since June 2024 while the register has A2 then; int-03 says "Anschlussunterbringung" at the
// interview while the register has "eigene Wohnung". Idempotent: an interview with links is left alone.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { Db } from "../../app/db/client.server.ts";
import { encodeValue } from "../../app/indicators/values.ts";
import { parseObservedDate } from "../../app/links/observed-date.ts";
import { INDICATOR_CODES } from "../../app/links/suggest.ts";
import { PASSAGE_SOURCE } from "../../app/links/limits.ts";
import { DEMO_INTERVIEWS, fixturesDir } from "./demo-interviews.ts";

type FixtureLink = { id: string; indicator: string; value: unknown; date: string | number; start: number; end: number; quote: string };

/** Which fixture links the demo shows as decided, and which register values it plants. */
const CONFIRMED = new Set(["int-01-l05", "int-01-l02", "int-02-l03"]);
const PLANTED: Record<string, { indicator: string; value: unknown; observedAt: string }> = {
  "int-02": { indicator: "S.DTNIV", value: "A2", observedAt: "2024-05-20" },
  "int-03": { indicator: "S.WOHN", value: "eigene_wohnung", observedAt: "2025-03-01" },
};
const MANAGER_OF: Record<string, string> = { "int-01": "im.loerrach", "int-02": "im.weil", "int-03": "im.loerrach" };

export async function seedDemoLinks(db: Db): Promise<{ links: number; confirmed: number }> {
  const dir = fixturesDir();
  if (!dir) return { links: 0, confirmed: 0 };
  const researcher = await db.user.findUnique({ where: { username: "forschung" }, select: { id: true } });
  const indicators = new Map((await db.indicatorDefinition.findMany({ select: { id: true, code: true, type: true } })).map((i) => [i.code, i]));
  const codes = new Map((await db.code.findMany({ where: { key: { not: null } }, select: { id: true, key: true } })).map((c) => [c.key!, c.id]));
  let links = 0;
  let confirmed = 0;
  for (const demo of DEMO_INTERVIEWS) {
    const file = path.join(dir, `${demo.fixture}.links.yaml`);
    if (!fs.existsSync(file)) continue;
    const interview = await db.interview.findUnique({
      where: { code: demo.code },
      select: { id: true, caseId: true, status: true, transcript: { select: { id: true } }, consents: { where: { current: true }, take: 1, select: { scopeLinking: true, scopeAnalysis: true } } },
    });
    if (!interview?.transcript || interview.status === "withdrawn" || !interview.consents[0]?.scopeLinking || !interview.consents[0]?.scopeAnalysis) continue;
    // Anything withdrawn of it (its codings, say) stays withdrawn: the demo links would code its passages again.
    if (await db.withdrawal.count({ where: { interviewId: interview.id } })) continue;
    if (await db.passageLink.count({ where: { coding: { interviewId: interview.id } } })) continue;
    const manager = await db.user.findUnique({ where: { username: MANAGER_OF[demo.fixture]! }, select: { id: true } });

    const planted = PLANTED[demo.fixture];
    const plantedIndicator = planted && indicators.get(planted.indicator);
    if (planted && plantedIndicator) {
      await db.snapshot.create({
        data: { caseId: interview.caseId, indicatorId: plantedIndicator.id, state: "known", value: encodeValue(planted.value), observedAt: new Date(`${planted.observedAt}T00:00:00Z`), source: "im_akte", verified: false, recordedById: manager?.id ?? null },
      });
    }

    const fixture = YAML.parse(fs.readFileSync(file, "utf8")) as { links: FixtureLink[] };
    const codings = await db.coding.findMany({ where: { transcriptId: interview.transcript.id }, select: { id: true, start: true, end: true }, orderBy: { start: "asc" } });
    for (const link of fixture.links) {
      const indicator = indicators.get(link.indicator);
      const observed = parseObservedDate(String(link.date));
      if (!indicator || !observed) continue;
      let codingId = codings.find((c) => c.start <= link.start && c.end >= link.end)?.id ?? null;
      if (!codingId) {
        // No reference coding covers the passage: code it with the indicator's fitting code (none for P.*: base data).
        const codeId = codes.get(INDICATOR_CODES[link.indicator] ?? "");
        if (!codeId) continue;
        const created = await db.coding.create({
          data: { transcriptId: interview.transcript.id, interviewId: interview.id, codeId, start: link.start, end: link.end, quote: link.quote, createdById: researcher?.id ?? null },
          select: { id: true, start: true, end: true },
        });
        codings.push(created);
        codingId = created.id;
      }
      const value = encodeValue(indicator.type === "multi" && !Array.isArray(link.value) ? [link.value] : link.value);
      const proposal = {
        codingId,
        caseId: interview.caseId,
        indicatorId: indicator.id,
        proposedState: "known",
        proposedValue: value,
        proposedObservedAt: observed.date,
        proposedSource: PASSAGE_SOURCE,
        createdById: researcher?.id ?? null,
      };
      if (CONFIRMED.has(link.id) && manager) {
        const snapshot = await db.snapshot.create({
          data: { caseId: interview.caseId, indicatorId: indicator.id, state: "known", value, observedAt: observed.date, source: PASSAGE_SOURCE, verified: true, recordedById: manager.id },
          select: { id: true },
        });
        await db.passageLink.create({ data: { ...proposal, status: "confirmed", snapshotId: snapshot.id, decidedById: manager.id, decidedAt: new Date() } });
        confirmed++;
      } else {
        await db.passageLink.create({ data: { ...proposal, status: "proposed" } });
      }
      links++;
    }
  }
  return { links, confirmed };
}
