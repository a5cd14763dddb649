// Thinning of autosaved transcript versions. The editor saves 1.5 s after typing stops and every save stores the
// whole transcript as a version (about a megabyte for two hours with word timings), so a day of correcting would
// keep thousands of near-identical copies of special-category data. As in Google Docs' version history, an editing
// burst keeps only its last state once it is old enough: a "save" version is dropped when it is more than an hour
// old and the next version is a save by the same person made within ten minutes after it. Everything of the last
// hour stays, so a coding made on a version someone else has since saved over still maps to the current text
// (app/coding/codings.server.ts spanInCurrentText); restores, imports, whisper results and the state kept before
// them are never dropped.
import type { Prisma } from "../db/client.server.ts";
import { versionCounts, type Paragraph } from "./formats/types.ts";
import { paragraphSelect, toParagraph } from "./paragraph-rows.ts";

type Tx = Prisma.TransactionClient;

export type VersionKind = "save" | "restore" | "import" | "whisper" | "kept";

/** Stores `paragraphs` as version `version` of a transcript, with its counts (the version list reads no JSON). */
export async function writeVersion(tx: Tx, transcriptId: string, version: number, paragraphs: readonly Paragraph[], createdById: string | null, kind: VersionKind) {
  await tx.transcriptVersion.create({ data: { transcriptId, version, paragraphs: JSON.stringify(paragraphs), ...versionCounts(paragraphs), createdById, kind } });
}

/**
 * A transcript written without a version row (by the whisper worker before versions were kept, or by hand): its
 * current state becomes version `version` before it is changed, so it can be restored.
 */
export async function keepCurrentAsVersion(tx: Tx, transcriptId: string, version: number) {
  const exists = await tx.transcriptVersion.findUnique({ where: { transcriptId_version: { transcriptId, version } }, select: { id: true } });
  if (exists) return;
  const rows = await tx.transcriptParagraph.findMany({ where: { transcriptId }, orderBy: { position: "asc" }, select: paragraphSelect });
  await writeVersion(tx, transcriptId, version, rows.map(toParagraph), null, "kept");
}

/** Saves younger than this are all kept. */
export const KEEP_ALL_MS = 60 * 60 * 1000;
/** Saves of one person at most this far apart belong to one burst. */
export const BURST_GAP_MS = 10 * 60 * 1000;

export type VersionMeta = { id: string; version: number; kind: string | null; createdById: string | null; createdAt: Date };

/** The versions to drop, from all versions of a transcript (any order). Pure, so the rule is tested on its own. */
export function versionsToThin(rows: readonly VersionMeta[], now: Date): string[] {
  const sorted = [...rows].sort((a, b) => a.version - b.version);
  const drop: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const v = sorted[i]!;
    const next = sorted[i + 1]!;
    const old = now.getTime() - v.createdAt.getTime() > KEEP_ALL_MS;
    const sameBurst = next.kind === "save" && next.createdById === v.createdById && next.createdAt.getTime() - v.createdAt.getTime() <= BURST_GAP_MS;
    if (v.kind === "save" && v.createdById !== null && old && sameBurst) drop.push(v.id);
  }
  return drop;
}

/** Drops the superseded autosaves of a transcript (see above); returns how many. Reads no paragraph JSON. */
export async function thinSavedVersions(tx: Tx, transcriptId: string, now = new Date()): Promise<number> {
  const rows = await tx.transcriptVersion.findMany({ where: { transcriptId }, select: { id: true, version: true, kind: true, createdById: true, createdAt: true } });
  const drop = versionsToThin(rows, now);
  if (drop.length) await tx.transcriptVersion.deleteMany({ where: { id: { in: drop } } });
  return drop.length;
}
