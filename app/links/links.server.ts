// Story <-> number: a coded passage tied to an indicator of the same case. A researcher links it to an existing
// snapshot (status linked) or proposes a new value (status proposed); an integration manager of the case's
// municipality confirms the proposal (a verified snapshot, source self-report, is created and linked: status
// confirmed) or rejects it with a reason. Everything needs the interview's "linking" consent scope, is audited,
// and carries the caller's scope in its queries.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess, type GateResult } from "../consent/gates.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { decodeValue, encodeValue, allowedValuesOf } from "../indicators/values.ts";
import { parseSnapshotValue } from "../indicators/snapshot-form.ts";
import { activeIndicators } from "../indicators/snapshots.server.ts";
import { locatePassage, type PassagePlace } from "./passage.ts";
import { parseObservedDate } from "./observed-date.ts";
import { todayInGermany } from "../utils/validation.ts";
import { MAX_REASON_LENGTH, PASSAGE_SOURCE } from "./limits.ts";
export { PASSAGE_SOURCE };
import { effectiveKey, loadCodeTree } from "./codes.server.ts";
import { suggestDate, suggestIndicators, suggestValue, type DateSuggestion } from "./suggest.ts";

export const LINK_STATUSES = ["linked", "proposed", "confirmed", "rejected"] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
/** Statuses that tie a passage to the register: only these count (confirmed and linked are verified ties). */
export const ACTIVE_STATUSES: LinkStatus[] = ["linked", "proposed", "confirmed"];

export class LinkRefusal extends Error {
  constructor(
    readonly code: "consent" | "value" | "date" | "future" | "duplicate" | "indicator" | "snapshot" | "decided" | "reason",
    readonly detail?: string,
  ) {
    super(code);
  }
}

/** The coded passage as the linking page shows it, or 404 outside the grant. */
export async function passageForLinking(grant: Grant, codingId: string) {
  const coding = await db.coding.findFirst({
    where: { id: codingId, interview: { case: caseScope(grant) } },
    select: {
      id: true,
      start: true,
      end: true,
      quote: true,
      orphaned: true,
      transcriptId: true,
      code: { select: { id: true, key: true, name: true, nameEn: true, colour: true } },
      interview: {
        select: {
          id: true,
          code: true,
          date: true,
          status: true,
          case: { select: { id: true, pseudonym: true } },
          recordings: { select: { id: true }, orderBy: { createdAt: "asc" }, take: 1 },
        },
      },
    },
  });
  if (!coding) throw notFound();
  const [paragraphs, linking, recordingGate, tree] = await Promise.all([
    db.transcriptParagraph.findMany({ where: { transcriptId: coding.transcriptId }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } }),
    mayProcess(coding.interview.id, "linking"),
    mayProcess(coding.interview.id, "recording"),
    loadCodeTree(),
  ]);
  const place: PassagePlace | null = coding.orphaned ? null : locatePassage(paragraphs, coding.start, coding.end);
  return {
    coding: { id: coding.id, quote: coding.quote, orphaned: coding.orphaned, code: coding.code, codeKey: effectiveKey(tree, coding.code.id) },
    interview: { id: coding.interview.id, code: coding.interview.code, date: coding.interview.date },
    case: coding.interview.case,
    place,
    recordingId: recordingGate.ok ? (coding.interview.recordings[0]?.id ?? null) : null,
    linking,
  };
}

export type PassageForLinking = Awaited<ReturnType<typeof passageForLinking>>;

export type Proposal = { indicatorCode: string | null; value: unknown; date: DateSuggestion };

/** What the page pre-fills: the code's indicator (or the chosen one), the value and date the quote names. */
export function proposalFor(passage: PassageForLinking, indicator: { code: string; type: string; allowedValues: string | null } | null): Proposal {
  return {
    indicatorCode: indicator?.code ?? null,
    value: indicator ? suggestValue({ code: indicator.code, type: indicator.type, allowedValues: allowedValuesOf(indicator) }, passage.coding.quote) : null,
    date: suggestDate(passage.coding.quote, passage.interview.date),
  };
}

/** The indicator to show: the requested one, else the first the code suggests, else none. */
export async function chooseIndicator(requested: string | null, codeKey: string | null) {
  const indicators = await activeIndicators();
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const chosen = (requested && byCode.get(requested)) || suggestIndicators(codeKey).map((c) => byCode.get(c)).find(Boolean) || null;
  return { indicators, chosen, suggested: suggestIndicators(codeKey).filter((c) => byCode.has(c)) };
}

/** The case's observations of one indicator, oldest first, marking the one in effect at the interview. */
export async function snapshotsAround(caseId: string, indicatorId: string, interviewDate: Date) {
  const rows = await db.snapshot.findMany({
    where: { caseId, indicatorId },
    select: { id: true, state: true, value: true, observedAt: true, source: true, verified: true, createdAt: true },
    orderBy: [{ observedAt: "asc" }, { createdAt: "asc" }],
  });
  let inEffect: string | null = null;
  for (const r of rows) if (r.observedAt.getTime() <= interviewDate.getTime()) inEffect = r.id;
  return rows.map((r) => ({ id: r.id, state: r.state, value: decodeValue(r.value), observedAt: r.observedAt, source: r.source, verified: r.verified, atInterview: r.id === inEffect }));
}

/** The links a coding already has, newest first. */
export async function linksOfCoding(codingId: string) {
  const rows = await db.passageLink.findMany({
    where: { codingId },
    select: {
      id: true,
      status: true,
      proposedState: true,
      proposedValue: true,
      proposedObservedAt: true,
      note: true,
      decidedAt: true,
      createdAt: true,
      indicator: { select: { code: true, type: true, labelDe: true, labelEn: true } },
      snapshot: { select: { id: true, state: true, value: true, observedAt: true, verified: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    ...r,
    proposedValue: decodeValue(r.proposedValue),
    snapshot: r.snapshot && { ...r.snapshot, value: decodeValue(r.snapshot.value) },
  }));
}

async function requireLinking(interviewId: string): Promise<void> {
  const gate: GateResult = await mayProcess(interviewId, "linking");
  if (!gate.ok) throw new LinkRefusal("consent", gate.reason);
}

async function codingInScope(grant: Grant, codingId: string) {
  const coding = await db.coding.findFirst({
    where: { id: codingId, interview: { case: caseScope(grant) } },
    select: { id: true, interviewId: true, interview: { select: { caseId: true } } },
  });
  if (!coding) throw notFound();
  return { id: coding.id, interviewId: coding.interviewId, caseId: coding.interview.caseId };
}

/** Ties the passage to an existing snapshot of the same case (status linked). Linking twice changes nothing. */
export async function linkToSnapshot(request: Request | null, grant: Grant, codingId: string, snapshotId: string) {
  const coding = await codingInScope(grant, codingId);
  await requireLinking(coding.interviewId);
  return db.$transaction(async (tx) => {
    const snapshot = await tx.snapshot.findFirst({ where: { id: snapshotId, caseId: coding.caseId }, select: { id: true, indicatorId: true, indicator: { select: { code: true } } } });
    if (!snapshot) throw new LinkRefusal("snapshot");
    const existing = await tx.passageLink.findFirst({ where: { codingId, snapshotId, status: { in: ["linked", "confirmed"] } }, select: { id: true } });
    if (existing) return existing;
    const link = await tx.passageLink.create({
      data: { codingId, caseId: coding.caseId, indicatorId: snapshot.indicatorId, snapshotId: snapshot.id, status: "linked", createdById: grant.user.id },
      select: { id: true },
    });
    await audit(request, grant.user, { action: "passage-link.link", entity: "case", entityId: coding.caseId, detail: { linkId: link.id, codingId, snapshotId, indicator: snapshot.indicator.code } }, tx);
    return link;
  });
}

export type ProposalInput = { indicatorCode: string; value: unknown; observedAt: string };

/** Proposes a new snapshot from the passage (status proposed); an integration manager decides. */
export async function proposeSnapshot(request: Request | null, grant: Grant, codingId: string, input: ProposalInput) {
  const coding = await codingInScope(grant, codingId);
  await requireLinking(coding.interviewId);
  const indicator = await db.indicatorDefinition.findFirst({
    where: { code: input.indicatorCode, active: true },
    select: { id: true, code: true, type: true, allowedValues: true, minValue: true, maxValue: true },
  });
  if (!indicator) throw new LinkRefusal("indicator");
  const parsed = parseSnapshotValue(indicator, input.value);
  if (!parsed.ok) throw new LinkRefusal("value", parsed.error);
  const observed = parseObservedDate(input.observedAt);
  if (!observed) throw new LinkRefusal("date");
  // As in the snapshot form: what holds since a day after today has not been observed.
  if (isFuture(observed.date)) throw new LinkRefusal("future");
  return db.$transaction(async (tx) => {
    // The same proposal twice (a double click, a second tab) would ask the integration manager twice.
    const same = await tx.passageLink.count({ where: { codingId, indicatorId: indicator.id, status: "proposed", proposedValue: encodeValue(parsed.value), proposedObservedAt: observed.date } });
    if (same) throw new LinkRefusal("duplicate");
    const link = await tx.passageLink.create({
      data: {
        codingId,
        caseId: coding.caseId,
        indicatorId: indicator.id,
        status: "proposed",
        proposedState: "known",
        proposedValue: encodeValue(parsed.value),
        proposedObservedAt: observed.date,
        proposedSource: PASSAGE_SOURCE,
        createdById: grant.user.id,
      },
      select: { id: true },
    });
    // The indicator code, never the value (values are special-category data).
    await audit(request, grant.user, { action: "passage-link.propose", entity: "case", entityId: coding.caseId, detail: { linkId: link.id, codingId, indicator: indicator.code, precision: observed.precision } }, tx);
    return link;
  });
}

/** Withdraws a link or an open proposal of the researcher's side; decided ones stay as the record of the decision. */
export async function removeLink(request: Request | null, grant: Grant, codingId: string, linkId: string) {
  const coding = await codingInScope(grant, codingId);
  return db.$transaction(async (tx) => {
    const removed = await tx.passageLink.deleteMany({ where: { id: linkId, codingId: coding.id, status: { in: ["linked", "proposed"] } } });
    if (removed.count === 0) throw notFound();
    await audit(request, grant.user, { action: "passage-link.remove", entity: "case", entityId: coding.caseId, detail: { linkId, codingId } }, tx);
  });
}

/** An open proposal of a case within the grant (confirm:passage-link: own municipalities or any). */
async function openProposal(grant: Grant, caseId: string, linkId: string) {
  const link = await db.passageLink.findFirst({
    where: { id: linkId, caseId, case: caseScope(grant) },
    select: { id: true, status: true, indicatorId: true, proposedState: true, proposedValue: true, proposedObservedAt: true, proposedSource: true, coding: { select: { interviewId: true } }, indicator: { select: { code: true } } },
  });
  if (!link) throw notFound();
  if (link.status !== "proposed") throw new LinkRefusal("decided");
  return link;
}

/** Confirms a proposal: a verified snapshot with the proposed values is recorded and linked (status confirmed). */
export async function confirmProposal(request: Request | null, grant: Grant, caseId: string, linkId: string) {
  const link = await openProposal(grant, caseId, linkId);
  await requireLinking(link.coding.interviewId);
  // Proposals made before the date check: the register takes no observation from the future.
  if (link.proposedObservedAt && isFuture(link.proposedObservedAt)) throw new LinkRefusal("future");
  return db.$transaction(async (tx) => {
    const snapshot = await tx.snapshot.create({
      data: {
        caseId,
        indicatorId: link.indicatorId,
        state: link.proposedState ?? "known",
        value: link.proposedState === "known" || link.proposedState === null ? link.proposedValue : null,
        observedAt: link.proposedObservedAt ?? new Date(),
        source: link.proposedSource ?? PASSAGE_SOURCE,
        verified: true,
        recordedById: grant.user.id,
      },
      select: { id: true },
    });
    // Only an open proposal changes: a second tab confirming or rejecting meanwhile loses.
    const decided = await tx.passageLink.updateMany({
      where: { id: link.id, status: "proposed" },
      data: { status: "confirmed", snapshotId: snapshot.id, decidedById: grant.user.id, decidedAt: new Date() },
    });
    if (decided.count !== 1) throw new LinkRefusal("decided");
    await audit(request, grant.user, { action: "snapshot.create", entity: "case", entityId: caseId, detail: { indicator: link.indicator.code, snapshotId: snapshot.id, fromLink: link.id } }, tx);
    await audit(request, grant.user, { action: "passage-link.confirm", entity: "case", entityId: caseId, detail: { linkId: link.id, snapshotId: snapshot.id, indicator: link.indicator.code } }, tx);
    return snapshot;
  });
}

/** Rejects a proposal with a reason (kept on the link, shown to the researcher). */
export async function rejectProposal(request: Request | null, grant: Grant, caseId: string, linkId: string, reason: string) {
  const text = reason.trim();
  if (!text || text.length > MAX_REASON_LENGTH) throw new LinkRefusal("reason");
  const link = await openProposal(grant, caseId, linkId);
  return db.$transaction(async (tx) => {
    const decided = await tx.passageLink.updateMany({
      where: { id: link.id, status: "proposed" },
      data: { status: "rejected", note: text, decidedById: grant.user.id, decidedAt: new Date() },
    });
    if (decided.count !== 1) throw new LinkRefusal("decided");
    // The reason is free text about a person: its length, not its words, goes into the log.
    await audit(request, grant.user, { action: "passage-link.reject", entity: "case", entityId: caseId, detail: { linkId: link.id, indicator: link.indicator.code, reasonLength: text.length } }, tx);
  });
}

/** A day after today in Germany (dates here are UTC midnights of calendar days). */
function isFuture(date: Date): boolean {
  return date.toISOString().slice(0, 10) > todayInGermany();
}
