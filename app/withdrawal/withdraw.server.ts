// Withdrawal of consent (Art. 7(3), 17(1)(b) GDPR): processing stops at once, then every registered eraser
// removes its part. The Withdrawal row is written first (status pending) and records, eraser by eraser, what
// was removed (counts only), so a run interrupted by a crash is finished by the next one: the erasers are
// idempotent and are simply run again; a pending withdrawal is always resumed before anything new starts.
import "./register.server.ts";
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { withRaceRetry } from "../db/race-retry.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { scopeColumn, type ConsentScope } from "../consent/scopes.ts";
import { addConsentVersion, consentSelect, withoutScopes } from "../interviews/consent.server.ts";
import { erasers, WITHDRAWAL_PARTS, type EraseContext, type WithdrawalPart } from "./erasers.server.ts";
import { SCOPES_OF_PART } from "./parts.ts";
import { journalWithdrawal, type JournalEntry } from "./journal.server.ts";

export type WithdrawalScope = "whole" | "partial";
export type WithdrawalRequest = { scope: WithdrawalScope; parts?: readonly WithdrawalPart[] | undefined };
export type ErasedCounts = Record<string, Record<string, number>>;
export type Preview = { eraser: string; counts: Record<string, number> }[];

/** A whole withdrawal names every part; a partial one its parts, without "interview", in the registry's order. */
export function partsOf(req: WithdrawalRequest): WithdrawalPart[] {
  if (req.scope === "whole") return [...WITHDRAWAL_PARTS];
  const chosen = new Set(req.parts ?? []);
  return WITHDRAWAL_PARTS.filter((p) => p !== "interview" && chosen.has(p));
}

/** The consent scopes a partial withdrawal of these parts takes away. */
export function scopesWithdrawn(parts: readonly WithdrawalPart[]): ConsentScope[] {
  return [...new Set(parts.flatMap((p) => SCOPES_OF_PART[p]))];
}

const withdrawalSelect = { id: true, interviewId: true, caseId: true, scope: true, parts: true, status: true, erased: true, requestedAt: true, completedAt: true, createdById: true } as const;

function parseJson<T>(value: string | null, fallback: T): T {
  if (!value) return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

function present(row: { id: string; interviewId: string; scope: string; parts: string; status: string; erased: string | null; requestedAt: Date; completedAt: Date | null }) {
  return {
    id: row.id,
    interviewId: row.interviewId,
    scope: row.scope as WithdrawalScope,
    parts: parseJson<WithdrawalPart[]>(row.parts, []),
    status: row.status as "pending" | "done",
    erased: parseJson<ErasedCounts>(row.erased, {}),
    requestedAt: row.requestedAt,
    completedAt: row.completedAt,
  };
}
export type WithdrawalView = ReturnType<typeof present>;

/** What each registered eraser would remove (counts per kind, never content). */
export async function previewWithdrawal(interviewId: string, req: WithdrawalRequest): Promise<Preview> {
  const interview = await db.interview.findUnique({ where: { id: interviewId }, select: { caseId: true } });
  if (!interview) throw notFound();
  const ctx: EraseContext = { interviewId, caseId: interview.caseId, parts: new Set(partsOf(req)) };
  return Promise.all(erasers().map(async (e) => ({ eraser: e.name, counts: await e.preview(ctx) })));
}

export async function getWithdrawal(id: string) {
  const row = await db.withdrawal.findUnique({ where: { id }, select: withdrawalSelect });
  return row ? present(row) : null;
}

export async function withdrawalsOf(interviewId: string) {
  const rows = await db.withdrawal.findMany({ where: { interviewId }, orderBy: { requestedAt: "desc" }, select: withdrawalSelect });
  return rows.map(present);
}

/** Whether the interview was erased by a whole withdrawal (its record stays; the interview row is gone). */
export async function wasWithdrawn(interviewId: string): Promise<boolean> {
  return (await db.withdrawal.count({ where: { interviewId, scope: "whole", status: "done" } })) > 0;
}

/** When the interview's recordings were withdrawn (a completed withdrawal that took them), or null. */
export async function recordingsWithdrawnAt(interviewId: string): Promise<Date | null> {
  const done = (await withdrawalsOf(interviewId)).find((w) => w.status === "done" && (w.scope === "whole" || w.parts.includes("recording")));
  return done ? (done.completedAt ?? done.requestedAt) : null;
}

export async function pendingWithdrawal(interviewId: string) {
  const row = await db.withdrawal.findFirst({ where: { interviewId, status: "pending" }, orderBy: { requestedAt: "asc" }, select: withdrawalSelect });
  return row ? present(row) : null;
}

export type WithdrawResult = { withdrawal: WithdrawalView; resumed: boolean; alreadyDone: boolean };

/**
 * Withdraws (or, with req = null, only resumes): a pending withdrawal of the interview is finished first
 * and nothing new is started; repeating a finished withdrawal changes nothing and returns the earlier record.
 */
export async function withdrawInterview(request: Request | null, actor: SessionUser | null, interviewId: string, req: WithdrawalRequest | null, options: { replayOf?: JournalEntry } = {}): Promise<WithdrawResult> {
  // A journaled withdrawal repeated on a restored backup (replay.server.ts) keeps its id, time and author.
  const replay = options.replayOf;
  const pending = await pendingWithdrawal(interviewId);
  if (pending) return { withdrawal: await runWithdrawal(request, actor, pending.id), resumed: true, alreadyDone: false };
  if (!req) throw notFound();

  const parts = partsOf(req);
  if (parts.length === 0) throw new Response("no parts", { status: 400 });
  // A repeated partial withdrawal: if nothing is left to erase and the consent already lacks its scopes, the
  // earlier record stands (checked before the transaction: erasers read through their own connection).
  const nothingLeft = req.scope === "partial" && (await previewWithdrawal(interviewId, req)).every((p) => Object.values(p.counts).every((n) => n === 0));

  const started = await withRaceRetry(() =>
    db.$transaction(
      async (tx) => {
        // The first statement writes the interview row: concurrent withdrawals of one interview queue here.
        const locked = await tx.interview.updateMany({ where: { id: interviewId }, data: { updatedAt: new Date() } });
        if (locked.count === 0) {
          // Gone: erased by an earlier whole withdrawal, which is the answer; otherwise it never existed.
          const done = await tx.withdrawal.findFirst({ where: { interviewId, scope: "whole", status: "done" }, orderBy: { requestedAt: "desc" }, select: withdrawalSelect });
          if (!done) throw notFound();
          return { kind: "done" as const, row: done };
        }
        const other = await tx.withdrawal.findFirst({ where: { interviewId, status: "pending" }, select: { id: true } });
        if (other) return { kind: "resume" as const, id: other.id };

        const interview = await tx.interview.findUniqueOrThrow({ where: { id: interviewId }, select: { caseId: true, status: true } });
        const scopes = req.scope === "partial" ? scopesWithdrawn(parts) : [];
        const consent = scopes.length ? await tx.consentRecord.findFirst({ where: { interviewId, current: true }, select: consentSelect }) : null;
        const stillGranted = consent ? scopes.filter((s) => consent[scopeColumn(s)]) : [];
        if (nothingLeft && stillGranted.length === 0) {
          const earlier = await tx.withdrawal.findFirst({ where: { interviewId, status: "done" }, orderBy: { requestedAt: "desc" }, select: withdrawalSelect });
          const covers = earlier && parts.every((p) => parseJson<string[]>(earlier.parts, []).includes(p));
          if (earlier && covers) return { kind: "done" as const, row: earlier };
        }

        const created = await tx.withdrawal.create({
          data: {
            ...(replay ? { id: replay.withdrawalId, requestedAt: new Date(replay.requestedAt) } : {}),
            interviewId,
            caseId: interview.caseId,
            scope: req.scope,
            parts: JSON.stringify(parts),
            status: "pending",
            erased: JSON.stringify({}),
            createdById: replay ? replay.createdById : (actor?.id ?? null),
          },
          select: { id: true },
        });
        if (req.scope === "whole") {
          // From here on every gate refuses: processing stops before anything is erased.
          await tx.interview.update({ where: { id: interviewId }, data: { status: "withdrawn" } });
        } else if (consent && stillGranted.length) {
          // The consent continues without the withdrawn scopes, as a new version (the history stays).
          await addConsentVersion(request, actor, tx, interviewId, withoutScopes(consent, stillGranted), "withdrawal");
        }
        await audit(request, actor, { action: "withdrawal.start", entity: "interview", entityId: interviewId, detail: { withdrawalId: created.id, scope: req.scope, parts, scopesWithdrawn: stillGranted, ...(replay ? { replayedFromJournal: true } : {}) } }, tx);
        return { kind: "started" as const, id: created.id };
      },
      { maxWait: 15_000, timeout: 15_000 },
    ),
  );
  if (started.kind === "done") return { withdrawal: present(started.row), resumed: false, alreadyDone: true };
  return { withdrawal: await runWithdrawal(request, actor, started.id), resumed: started.kind === "resume", alreadyDone: false };
}

/**
 * Merges an eraser's counts over runs. A run that throws records nothing, so each recorded count comes from one
 * complete run; a repeated run reports either nothing left (0) or the same items again (an idempotent delete of
 * what is still listed), so the larger number is what was erased.
 */
const merge = (a: Record<string, number> = {}, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, n);
  return out;
};

/** Runs every eraser in order (again, if this is a resumed run) and marks the withdrawal done. */
async function runWithdrawal(request: Request | null, actor: SessionUser | null, withdrawalId: string): Promise<WithdrawalView> {
  const row = await db.withdrawal.findUniqueOrThrow({ where: { id: withdrawalId }, select: withdrawalSelect });
  if (row.status === "done") return present(row);
  const parts = parseJson<WithdrawalPart[]>(row.parts, []);
  // Journaled before anything is erased (a restored backup repeats it); if the journal cannot be written, this
  // throws and the withdrawal stays pending: processing has stopped already, the erasing waits for the journal.
  journalWithdrawal({ withdrawalId: row.id, interviewId: row.interviewId, caseId: row.caseId, scope: row.scope as WithdrawalScope, parts, requestedAt: row.requestedAt.toISOString(), createdById: row.createdById });
  const ctx: EraseContext = { interviewId: row.interviewId, caseId: row.caseId, parts: new Set(parts) };
  let erased = parseJson<ErasedCounts>(row.erased, {});
  for (const eraser of erasers()) {
    const counts = await eraser.erase(ctx);
    erased = { ...erased, [eraser.name]: merge(erased[eraser.name], counts) };
    await db.withdrawal.update({ where: { id: withdrawalId }, data: { erased: JSON.stringify(erased) } });
  }
  const done = await db.$transaction(async (tx) => {
    const updated = await tx.withdrawal.update({ where: { id: withdrawalId }, data: { status: "done", completedAt: new Date() }, select: withdrawalSelect });
    await audit(request, actor, { action: "withdrawal.complete", entity: "interview", entityId: row.interviewId, detail: { withdrawalId, scope: row.scope, erased } }, tx);
    return updated;
  });
  return present(done);
}
