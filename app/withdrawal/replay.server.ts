// Repeats journaled withdrawals (journal.server.ts) on a database restored from a backup: every withdrawal made
// after the backup was taken is run again with its id, parts, time and author, and one that was still running when
// the backup was taken is finished. Idempotent: a withdrawal the database already has as done is skipped, so the
// whole journal can be replayed on any backup, and replaying twice changes nothing.
import { db } from "../db/client.server.ts";
import type { ConsentRevocationEntry, JournalEntry } from "./journal.server.ts";
import { scopeColumn } from "../consent/scopes.ts";
import { addConsentVersion, consentSelect, eraseSpecialCategoryCodings, withoutScopes } from "../interviews/consent.server.ts";
import { withdrawInterview } from "./withdraw.server.ts";

export type ReplayOutcome = { entry: JournalEntry; outcome: "already-done" | "resumed" | "repeated" | "interview-unknown" | "failed"; message?: string };

/** How many entries had each outcome (for the restore's report and audit entry). */
export function countOutcomes(results: readonly ReplayOutcome[]): Record<ReplayOutcome["outcome"], number> {
  const out = { "already-done": 0, resumed: 0, repeated: 0, "interview-unknown": 0, failed: 0 };
  for (const r of results) out[r.outcome]++;
  return out;
}

export async function replayWithdrawals(entries: readonly JournalEntry[]): Promise<ReplayOutcome[]> {
  const results: ReplayOutcome[] = [];
  for (const entry of entries) {
    const known = await db.withdrawal.findUnique({ where: { id: entry.withdrawalId }, select: { status: true } });
    if (known?.status === "done") {
      results.push({ entry, outcome: "already-done" });
      continue;
    }
    const interview = await db.interview.findUnique({ where: { id: entry.interviewId }, select: { id: true } });
    if (!known && !interview) {
      // Created after the backup was taken (or erased by an earlier whole withdrawal in this database): nothing of it
      // is in the restored database.
      results.push({ entry, outcome: "interview-unknown" });
      continue;
    }
    try {
      // A pending withdrawal of the interview (this one, cut off by the backup, or another) is finished first.
      const pending = await db.withdrawal.findFirst({ where: { interviewId: entry.interviewId, status: "pending" }, select: { id: true } });
      if (pending) await withdrawInterview(null, null, entry.interviewId, null);
      const after = await db.withdrawal.findUnique({ where: { id: entry.withdrawalId }, select: { status: true } });
      if (after?.status === "done") {
        results.push({ entry, outcome: "resumed" });
        continue;
      }
      const result = await withdrawInterview(null, null, entry.interviewId, { scope: entry.scope, parts: entry.parts }, { replayOf: entry });
      // An earlier withdrawal in the restored database already covers it (nothing left to erase, scopes already off).
      results.push({ entry, outcome: result.alreadyDone ? "already-done" : "repeated" });
    } catch (e) {
      const message = e instanceof Response ? `HTTP ${e.status}` : e instanceof Error ? e.message : String(e);
      results.push({ entry, outcome: "failed", message });
    }
  }
  return results;
}

/**
 * Repeats scopes taken back on the consent form (journal.server.ts, ConsentRevocationEntry) that the restored
 * database still has granted: a new consent version without them, and special-category codings erased as then.
 */
export async function replayConsentRevocations(entries: readonly ConsentRevocationEntry[]): Promise<{ repeated: number; alreadyDone: number; interviewUnknown: number }> {
  const out = { repeated: 0, alreadyDone: 0, interviewUnknown: 0 };
  for (const entry of [...entries].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))) {
    const consent = await db.consentRecord.findFirst({ where: { interviewId: entry.interviewId, current: true }, select: consentSelect });
    if (!consent) {
      out.interviewUnknown++;
      continue;
    }
    const still = entry.scopes.filter((s) => consent[scopeColumn(s)]);
    if (!still.length) {
      out.alreadyDone++;
      continue;
    }
    await db.$transaction(async (tx) => {
      await addConsentVersion(null, null, tx, entry.interviewId, withoutScopes(consent, still), "withdrawal");
      if (still.includes("specialCategories")) await eraseSpecialCategoryCodings(tx, entry.interviewId);
    });
    out.repeated++;
  }
  return out;
}
