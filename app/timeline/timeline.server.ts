// One timeline per case: indicator changes, interviews, linked passages (quote + play), biography notes,
// contacts, integration plans and the case's own events (start, archive, reactivation), in time order.
// Counselling data: integration managers of the municipality and admins; researchers only for cases whose
// person consented to linking (counsellingCaseScope), and passages only of interviews with that scope.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess, withScope } from "../consent/gates.server.ts";
import { counsellingCaseScope, hasPermission, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { decodeValue } from "../indicators/values.ts";
import { effectiveKey, loadCodeTree } from "../links/codes.server.ts";
import { dimensionOfKey } from "../links/dimensions.ts";
import { locatePassage } from "../links/passage.ts";
import { findContradictions } from "../links/contradictions.server.ts";
import { changesOnly } from "./changes.ts";
import { passes, type TimelineFilters, type TimelineKind } from "./filters.ts";

type Indicator = { code: string; labelDe: string; labelEn: string; type: string };
type Base = { key: string; date: string; dimensions: string[] };

export type TimelineEntry = Base &
  (
    | { kind: "snapshot"; indicator: Indicator; state: string; value: unknown; previous: { state: string; value: unknown } | null; source: string; verified: boolean; fromPassage: boolean }
    | {
        kind: "passage";
        linkId: string;
        status: string;
        quote: string;
        speaker: string | null;
        startMs: number | null;
        endMs: number | null;
        interviewCode: string | null;
        codeName: string;
        codeNameEn: string | null;
        indicator: Indicator;
        story: { state: string; value: unknown } | null;
        reason: string | null;
        /** linked or confirmed, but its register observation was since deleted as entered in error */
        registerDeleted: boolean;
        playable: boolean;
        contradiction: { kind: string; direction: string | null; registerState: string; registerValue: unknown; registerDate: string } | null;
      }
    | { kind: "interview"; interviewId: string; code: string | null; status: string }
    | { kind: "note"; noteId: string; type: string; title: string; excerpt: string }
    | { kind: "contact"; contactKind: string; durationMinutes: number }
    | { kind: "plan"; areas: { area: string; status: string }[] }
    | { kind: "case"; event: "start" | "archive" | "reactivate"; reason: string | null }
  );

const KIND_ORDER: TimelineKind[] = ["case", "interview", "passage", "snapshot", "plan", "contact", "note"];
const EXCERPT_CHARS = 240;

/**
 * A note's plain text (one line per paragraph or list item) on one line: blocks are joined by "; " unless one ends
 * a sentence itself, so list items ("Unterlagen sammeln", "Sprachkurs anmelden") do not run into one another.
 */
export function oneLine(text: string): string {
  const blocks = text.split("\n").map((l) => l.replace(/\s+/g, " ").trim()).filter(Boolean);
  return blocks.reduce((out, block) => (out === "" ? block : `${out}${/[.!?:;…]$/.test(out) ? " " : "; "}${block}`), "");
}

export async function requireTimelineCase(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({
    where: { id: caseId, ...counsellingCaseScope(grant) },
    select: { id: true, pseudonym: true, imStart: true, status: true, archivedAt: true, archiveReason: true },
  });
  if (!row) throw notFound();
  return row;
}

export async function buildTimeline(request: Request, grant: Grant, caseId: string, filters: TimelineFilters) {
  const kase = await requireTimelineCase(grant, caseId);
  const mayReadInterviews = hasPermission(grant.user, "read", "interview");
  const [snapshots, interviews, links, notes, contacts, plans, caseEvents, tree, contradictions] = await Promise.all([
    db.snapshot.findMany({
      where: { caseId: kase.id },
      select: {
        id: true,
        indicatorId: true,
        state: true,
        value: true,
        observedAt: true,
        createdAt: true,
        source: true,
        verified: true,
        indicator: { select: { code: true, labelDe: true, labelEn: true, type: true, dimension: true } },
        passageLinks: { where: { status: { in: ["linked", "confirmed"] } }, select: { id: true } },
      },
    }),
    db.interview.findMany({ where: { caseId: kase.id }, select: { id: true, code: true, date: true, status: true }, orderBy: { date: "asc" } }),
    db.passageLink.findMany({
      where: { caseId: kase.id, coding: { interview: withScope("linking") } },
      select: {
        id: true,
        status: true,
        note: true,
        proposedState: true,
        proposedValue: true,
        proposedObservedAt: true,
        createdAt: true,
        indicator: { select: { code: true, labelDe: true, labelEn: true, type: true, dimension: true } },
        snapshot: { select: { state: true, value: true, observedAt: true } },
        coding: {
          select: {
            start: true,
            end: true,
            orphaned: true,
            quote: true,
            transcriptId: true,
            code: { select: { id: true, name: true, nameEn: true } },
            interview: { select: { id: true, code: true, date: true, recordings: { select: { id: true }, take: 1 } } },
          },
        },
      },
    }),
    db.biographyNote.findMany({ where: { caseId: kase.id }, select: { id: true, type: true, noteDate: true, title: true, contentText: true } }),
    db.contact.findMany({ where: { caseId: kase.id }, select: { id: true, date: true, kind: true, durationMinutes: true } }),
    db.integrationPlan.findMany({ where: { caseId: kase.id }, select: { id: true, drawnUpAt: true, areas: { select: { area: true, status: true } } } }),
    db.auditLog.findMany({ where: { entity: "case", entityId: kase.id, action: { in: ["case.archive", "case.reactivate"] } }, select: { id: true, at: true, action: true, detail: true }, orderBy: { at: "asc" } }),
    loadCodeTree(),
    findContradictions({ id: kase.id }),
  ]);

  const entries: (TimelineEntry & { kind: TimelineKind })[] = [];
  const iso = (d: Date) => d.toISOString();

  entries.push({ key: "case-start", kind: "case", event: "start", reason: null, date: iso(kase.imStart), dimensions: [] });
  const archives = caseEvents.filter((e) => e.action === "case.archive");
  for (const e of caseEvents) {
    // The current archiving is shown with the date the manager entered, not when it was typed in.
    if (kase.status === "archived" && e === archives.at(-1)) continue;
    const reason = e.action === "case.archive" ? ((JSON.parse(e.detail ?? "{}") as { reason?: string }).reason ?? null) : null;
    entries.push({ key: `audit-${e.id}`, kind: "case", event: e.action === "case.archive" ? "archive" : "reactivate", reason, date: iso(e.at), dimensions: [] });
  }
  if (kase.status === "archived" && kase.archivedAt) entries.push({ key: "case-archived", kind: "case", event: "archive", reason: kase.archiveReason, date: iso(kase.archivedAt), dimensions: [] });

  for (const s of changesOnly(snapshots)) {
    entries.push({
      key: `snapshot-${s.id}`,
      kind: "snapshot",
      date: iso(s.observedAt),
      dimensions: s.indicator.dimension ? [s.indicator.dimension] : [],
      indicator: { code: s.indicator.code, labelDe: s.indicator.labelDe, labelEn: s.indicator.labelEn, type: s.indicator.type },
      state: s.state,
      value: decodeValue(s.value),
      previous: s.previous && { state: s.previous.state, value: decodeValue(s.previous.value) },
      source: s.source,
      verified: s.verified,
      fromPassage: s.passageLinks.length > 0,
    });
  }

  for (const i of interviews) {
    entries.push({ key: `interview-${i.id}`, kind: "interview", interviewId: i.id, code: mayReadInterviews ? i.code : null, status: i.status, date: iso(i.date), dimensions: [] });
  }

  // Speaker and time of each passage come from its transcript's turns; playing needs the recording scope too.
  const transcriptIds = [...new Set(links.map((l) => l.coding.transcriptId))];
  const paragraphs = transcriptIds.length
    ? await db.transcriptParagraph.findMany({ where: { transcriptId: { in: transcriptIds } }, orderBy: { position: "asc" }, select: { transcriptId: true, speaker: true, startMs: true, endMs: true, text: true } })
    : [];
  const turnsOf = new Map<string, typeof paragraphs>();
  for (const p of paragraphs) turnsOf.set(p.transcriptId, [...(turnsOf.get(p.transcriptId) ?? []), p]);
  const recordingOk = new Map<string, boolean>();
  for (const id of new Set(links.map((l) => l.coding.interview.id))) recordingOk.set(id, (await mayProcess(id, "recording")).ok);
  const contradictionOf = new Map(contradictions.map((c) => [c.linkId, c]));

  for (const l of links) {
    const place = l.coding.orphaned ? null : locatePassage(turnsOf.get(l.coding.transcriptId) ?? [], l.coding.start, l.coding.end);
    const codeDimension = dimensionOfKey(effectiveKey(tree, l.coding.code.id));
    const dimensions = [...new Set([l.indicator.dimension, codeDimension].filter((d): d is string => !!d))];
    const storyDate = l.proposedObservedAt ?? l.snapshot?.observedAt ?? l.coding.interview.date;
    const story = l.proposedState ? { state: l.proposedState, value: decodeValue(l.proposedValue) } : l.snapshot ? { state: l.snapshot.state, value: decodeValue(l.snapshot.value) } : null;
    const c = contradictionOf.get(l.id);
    entries.push({
      key: `passage-${l.id}`,
      kind: "passage",
      linkId: l.id,
      status: l.status,
      quote: l.coding.quote,
      speaker: place?.speaker ?? null,
      startMs: place?.startMs ?? null,
      endMs: place?.endMs ?? null,
      interviewCode: mayReadInterviews ? l.coding.interview.code : null,
      codeName: l.coding.code.name,
      codeNameEn: l.coding.code.nameEn,
      indicator: { code: l.indicator.code, labelDe: l.indicator.labelDe, labelEn: l.indicator.labelEn, type: l.indicator.type },
      story,
      reason: l.status === "rejected" ? l.note : null,
      // The link outlives the deleted observation (onDelete SetNull): the passage stays, without a register value.
      registerDeleted: (l.status === "linked" || l.status === "confirmed") && !l.snapshot,
      playable: l.status !== "rejected" && !!place && place.endMs > place.startMs && !!l.coding.interview.recordings[0] && !!recordingOk.get(l.coding.interview.id),
      contradiction: c ? { kind: c.kind, direction: c.direction, registerState: c.register.state, registerValue: c.register.value, registerDate: iso(c.register.observedAt) } : null,
      date: iso(storyDate),
      dimensions,
    });
  }

  for (const n of notes) {
    const text = oneLine(n.contentText);
    entries.push({ key: `note-${n.id}`, kind: "note", noteId: n.id, type: n.type, title: n.title, excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text, date: iso(n.noteDate), dimensions: [] });
  }
  for (const c of contacts) entries.push({ key: `contact-${c.id}`, kind: "contact", contactKind: c.kind, durationMinutes: c.durationMinutes, date: iso(c.date), dimensions: [] });
  for (const p of plans) entries.push({ key: `plan-${p.id}`, kind: "plan", areas: p.areas, date: iso(p.drawnUpAt), dimensions: [] });

  const rank = (k: TimelineKind) => KIND_ORDER.indexOf(k);
  const shown = entries
    .filter((e) => passes(filters, e))
    .sort((a, b) => a.date.localeCompare(b.date) || rank(a.kind) - rank(b.kind) || a.key.localeCompare(b.key));
  const openProposals = entries.filter((e): e is Extract<TimelineEntry, { kind: "passage" }> => e.kind === "passage" && e.status === "proposed").map((e) => ({ linkId: e.linkId, indicator: { labelDe: e.indicator.labelDe, labelEn: e.indicator.labelEn } }));

  await audit(request, grant.user, { action: "timeline.view", entity: "case", entityId: kase.id, detail: { entries: shown.length, ...(filters.dimension ? { dimension: filters.dimension } : {}), ...(filters.kinds.length ? { kinds: filters.kinds } : {}) } });
  return { case: { id: kase.id, pseudonym: kase.pseudonym }, entries: shown, total: entries.length, openProposals, contradictions: contradictions.length };
}
