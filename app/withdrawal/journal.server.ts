// The withdrawal journal: every withdrawal is also written to a file outside the database (WITHDRAWAL_JOURNAL), one
// JSON line each, before anything is erased. A backup restored later lacks the withdrawals made after it was taken;
// `npm run restore` reads this file and repeats them (replay.server.ts), so a person's withdrawal is not undone by
// a restore (Art. 17 GDPR; docs/decisions/0015-backups.md). The lines hold ids and parts only, never names or
// content: what was withdrawn, not what it said.
import fs from "node:fs";
import path from "node:path";
import { env } from "../env.server.ts";
import { WITHDRAWAL_PARTS, type WithdrawalPart } from "./parts.ts";
import { CONSENT_SCOPES, type ConsentScope } from "../consent/scopes.ts";

export type JournalEntry = {
  withdrawalId: string;
  interviewId: string;
  caseId: string | null;
  scope: "whole" | "partial";
  parts: WithdrawalPart[];
  requestedAt: string;
  createdById: string | null;
};

/**
 * A scope taken back on the consent form (quotation, archiving, special categories, re-contact, external
 * transcription: the scopes no withdrawal part erases data for). Journaled like a withdrawal, so a restore does not
 * grant it again (replay.server.ts, replayConsentRevocations).
 */
export type ConsentRevocationEntry = { kind: "consent"; interviewId: string; scopes: ConsentScope[]; requestedAt: string; createdById: string | null };

export const journalPath = () => path.resolve(env().WITHDRAWAL_JOURNAL);

/**
 * Appends the withdrawal and waits until it is on disk (fsync). Throws when the file cannot be written: the caller
 * then erases nothing yet and the withdrawal stays pending (processing has stopped already), so no withdrawal is
 * erased without being journaled. Writing the same withdrawal twice (a resumed run) is harmless: replay skips it.
 */
export function journalWithdrawal(entry: JournalEntry, file = journalPath()): void {
  appendLine(JSON.stringify(entry), file);
}

/** Same rules as journalWithdrawal: on disk before the consent version that takes the scopes back is saved. */
export function journalConsentRevocation(entry: ConsentRevocationEntry, file = journalPath()): void {
  appendLine(JSON.stringify(entry), file);
}

function appendLine(line: string, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "a+", 0o600);
  try {
    // A line cut off by a crash has no newline: start on a fresh line, or this entry would be unreadable too.
    const size = fs.fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const fresh = size === 0 || (fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a);
    fs.writeSync(fd, `${fresh ? "" : "\n"}${line}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const PARTS = new Set<string>(WITHDRAWAL_PARTS);

function parseEntry(line: string): JournalEntry | null {
  try {
    const e = JSON.parse(line) as Partial<JournalEntry>;
    if (typeof e.withdrawalId !== "string" || typeof e.interviewId !== "string" || (e.scope !== "whole" && e.scope !== "partial")) return null;
    if (!Array.isArray(e.parts) || !e.parts.every((p) => PARTS.has(p)) || typeof e.requestedAt !== "string" || Number.isNaN(Date.parse(e.requestedAt))) return null;
    return { withdrawalId: e.withdrawalId, interviewId: e.interviewId, caseId: e.caseId ?? null, scope: e.scope, parts: e.parts, requestedAt: e.requestedAt, createdById: e.createdById ?? null };
  } catch {
    return null;
  }
}

/**
 * The entries of a journal file, each withdrawal once (first line wins), in the order they were made. Lines that do
 * not parse are counted, not fatal: a line cut off by a crash while it was written is expected at the end.
 */
const SCOPES = new Set<string>(CONSENT_SCOPES);

function parseRevocation(line: string): ConsentRevocationEntry | null {
  try {
    const e = JSON.parse(line) as Partial<ConsentRevocationEntry>;
    if (e.kind !== "consent" || typeof e.interviewId !== "string" || !Array.isArray(e.scopes) || !e.scopes.every((x) => SCOPES.has(x))) return null;
    if (typeof e.requestedAt !== "string" || Number.isNaN(Date.parse(e.requestedAt))) return null;
    return { kind: "consent", interviewId: e.interviewId, scopes: e.scopes, requestedAt: e.requestedAt, createdById: e.createdById ?? null };
  } catch {
    return null;
  }
}

export function readJournal(file: string): { entries: JournalEntry[]; revocations: ConsentRevocationEntry[]; unreadable: number[] } {
  if (!fs.existsSync(file)) return { entries: [], revocations: [], unreadable: [] };
  const entries: JournalEntry[] = [];
  const revocations: ConsentRevocationEntry[] = [];
  const seen = new Set<string>();
  const unreadable: number[] = [];
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) return;
      const revocation = parseRevocation(line);
      if (revocation) {
        revocations.push(revocation);
        return;
      }
      const e = parseEntry(line);
      if (!e) unreadable.push(i + 1);
      else if (!seen.has(e.withdrawalId)) {
        seen.add(e.withdrawalId);
        entries.push(e);
      }
    });
  return { entries, revocations, unreadable };
}
