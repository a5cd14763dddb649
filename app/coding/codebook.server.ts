// The codebook: a tree of codes with colour, description, examples and the special-category flag. Researchers and
// admins (manage:codebook) add, rename, recolour, describe, move, merge and delete codes. Every change is audited
// and told to search in the same transaction; merges and deletions move codings (and their memos and passage links)
// along, so nothing coded is lost without an explicit decision.
import { db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";
import { hasPermission, type Grant } from "../permissions/permissions.server.ts";
import { forbidden, notFound } from "../utils/responses.server.ts";
import { codingsChanged, indexCode, removeCode } from "../../search/hooks.server.ts";
import { isHexColour } from "./colours.ts";
import { buildTree, descendantIds, type CodeNode, type FlatCode } from "./codebook-tree.ts";

type Tx = Prisma.TransactionClient;
const TX = { maxWait: 15_000, timeout: 60_000 };

export type CodebookError =
  | "name-required"
  | "name-taken"
  | "colour-invalid"
  | "parent-missing"
  | "cycle"
  | "same-code"
  | "target-missing"
  | "merge-into-descendant"
  | "special-to-ordinary"
  | "consent-special"
  | "special-in-use"
  | "in-use"
  | "confirm-required"
  | "merge-confirm-required"
  | "changed-meanwhile";
export type CodebookResult<T = object> = ({ ok: true } & T) | { ok: false; error: CodebookError };

const codeSelect = {
  id: true,
  key: true,
  parentId: true,
  name: true,
  nameEn: true,
  description: true,
  examples: true,
  colour: true,
  specialCategory: true,
  position: true,
  updatedAt: true,
} as const;

function parseExamples(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === "string") : [];
  } catch {
    return [];
  }
}

function requireManage(grant: Grant) {
  if (!hasPermission(grant.user, "manage", "codebook")) throw forbidden();
}

/** All codes, flat, with their direct usage (number of codings). */
export async function listCodes(tx: Pick<Tx, "code" | "coding"> = db): Promise<FlatCode[]> {
  // In turn, not at once: `tx` may be a transaction, one connection (see search/documents.server.ts).
  const rows = await tx.code.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }], select: codeSelect });
  const usage = await tx.coding.groupBy({ by: ["codeId"], _count: { _all: true } });
  const counts = new Map(usage.map((u) => [u.codeId, u._count._all]));
  return rows.map((r) => ({ ...r, examples: parseExamples(r.examples), usage: counts.get(r.id) ?? 0 }));
}

/** The codebook as a tree (roots in order, children in order), for the codebook page and the editor's picker. */
export async function loadCodebook(_grant: Grant): Promise<CodeNode[]> {
  return buildTree(await listCodes());
}

/** One code with its usage and the number of memos on it, or 404. */
export async function getCode(_grant: Grant, codeId: string) {
  const row = await db.code.findUnique({ where: { id: codeId }, select: { ...codeSelect, _count: { select: { codings: true, memos: true, children: true } } } });
  if (!row) throw notFound();
  const { _count, ...code } = row;
  return { ...code, examples: parseExamples(code.examples), usage: _count.codings, memos: _count.memos, children: _count.children };
}

// ---- add, edit ------------------------------------------------------------------------------------------------

export type CodeFields = { name: string; nameEn?: string | null; description?: string; examples?: string[]; colour: string; specialCategory?: boolean };

async function checkName(tx: Tx, name: string, parentId: string | null, exceptId?: string): Promise<CodebookError | null> {
  if (!name.trim()) return "name-required";
  const siblings = await tx.code.findMany({ where: { parentId, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { name: true } });
  return siblings.some((s) => s.name.trim().toLocaleLowerCase("de") === name.trim().toLocaleLowerCase("de")) ? "name-taken" : null;
}

const cleanExamples = (examples: string[] | undefined) => (examples ?? []).map((e) => e.trim()).filter(Boolean);

export async function createCode(request: Request | null, grant: Grant, input: CodeFields & { parentId: string | null }): Promise<CodebookResult<{ id: string }>> {
  requireManage(grant);
  if (!isHexColour(input.colour)) return { ok: false, error: "colour-invalid" };
  return db.$transaction(async (tx) => {
    if (input.parentId && !(await tx.code.findUnique({ where: { id: input.parentId }, select: { id: true } }))) return { ok: false, error: "parent-missing" } as const;
    const nameError = await checkName(tx, input.name, input.parentId);
    if (nameError) return { ok: false, error: nameError } as const;
    const last = await tx.code.aggregate({ where: { parentId: input.parentId }, _max: { position: true } });
    const code = await tx.code.create({
      data: {
        parentId: input.parentId,
        name: input.name.trim(),
        nameEn: input.nameEn?.trim() || null,
        description: input.description?.trim() ?? "",
        examples: JSON.stringify(cleanExamples(input.examples)),
        colour: input.colour.toLowerCase(),
        specialCategory: input.specialCategory ?? false,
        position: (last._max.position ?? -1) + 1,
        createdById: grant.user.id,
      },
      select: { id: true },
    });
    await audit(request, grant.user, { action: "code.create", entity: "code", entityId: code.id, detail: { parentId: input.parentId, specialCategory: input.specialCategory ?? false } }, tx);
    await indexCode(tx, code.id);
    return { ok: true, id: code.id } as const;
  }, TX);
}

/**
 * Renames, recolours, describes a code or changes its special-category flag. Setting the flag is refused while the
 * code has codings on interviews whose consent lacks the Art. 9 scope (they would be unlawful at once).
 */
export async function updateCode(request: Request | null, grant: Grant, codeId: string, input: CodeFields, base?: Date): Promise<CodebookResult> {
  requireManage(grant);
  if (!isHexColour(input.colour)) return { ok: false, error: "colour-invalid" };
  return db.$transaction(async (tx) => {
    const code = await tx.code.findUnique({ where: { id: codeId }, select: codeSelect });
    if (!code) throw notFound();
    // `base`: when the form loaded the code; someone who changed it since is not overwritten unseen.
    if (base && code.updatedAt.getTime() !== base.getTime()) return { ok: false, error: "changed-meanwhile" } as const;
    const nameError = await checkName(tx, input.name, code.parentId, code.id);
    if (nameError) return { ok: false, error: nameError } as const;
    const special = input.specialCategory ?? code.specialCategory;
    if (special && !code.specialCategory && (await codingsWithoutSpecialConsent(tx, [code.id])) > 0) return { ok: false, error: "special-in-use" } as const;
    const data = {
      name: input.name.trim(),
      nameEn: input.nameEn?.trim() || null,
      description: input.description?.trim() ?? code.description,
      examples: input.examples ? JSON.stringify(cleanExamples(input.examples)) : code.examples,
      colour: input.colour.toLowerCase(),
      specialCategory: special,
    };
    const changed = (Object.keys(data) as (keyof typeof data)[]).filter((k) => data[k] !== code[k]);
    if (!changed.length) return { ok: true } as const;
    const { count } = await tx.code.updateMany({ where: { id: code.id, updatedAt: code.updatedAt }, data });
    if (count === 0) return { ok: false, error: "changed-meanwhile" } as const;
    await audit(request, grant.user, { action: "code.update", entity: "code", entityId: code.id, detail: { key: code.key, changed } }, tx);
    await indexCode(tx, code.id);
    if (changed.includes("specialCategory")) await touchInterviewsOf(tx, [code.id]);
    return { ok: true } as const;
  }, TX);
}

/** Codings of these codes on interviews whose current consent lacks the specialCategories scope. */
async function codingsWithoutSpecialConsent(tx: Tx, codeIds: string[]): Promise<number> {
  return tx.coding.count({
    where: { codeId: { in: codeIds }, interview: { NOT: { consents: { some: { current: true, scopeSpecialCategories: true } } } } },
  });
}

/** Search refreshes the codes on every passage of the interviews using these codes. */
async function touchInterviewsOf(tx: Tx, codeIds: string[]) {
  const rows = await tx.coding.findMany({ where: { codeId: { in: codeIds } }, distinct: ["interviewId"], select: { interviewId: true } });
  for (const r of rows) await codingsChanged(tx, r.interviewId);
  return rows.map((r) => r.interviewId);
}

// ---- move ------------------------------------------------------------------------------------------------------

/** Puts a code under another parent (null = top level) at a 0-based place among its new siblings. */
export async function moveCode(request: Request | null, grant: Grant, codeId: string, input: { parentId: string | null; position: number }): Promise<CodebookResult> {
  requireManage(grant);
  return db.$transaction(async (tx) => {
    const code = await tx.code.findUnique({ where: { id: codeId }, select: { id: true, key: true, name: true, parentId: true, position: true } });
    if (!code) throw notFound();
    const parentId = input.parentId || null;
    if (parentId) {
      if (!(await tx.code.findUnique({ where: { id: parentId }, select: { id: true } }))) return { ok: false, error: "parent-missing" } as const;
      const all = await tx.code.findMany({ select: { id: true, parentId: true } });
      if (parentId === code.id || descendantIds(all, code.id).has(parentId)) return { ok: false, error: "cycle" } as const;
    }
    if (parentId !== code.parentId) {
      const nameError = await checkName(tx, code.name, parentId, code.id);
      if (nameError) return { ok: false, error: nameError } as const;
    }
    const siblings = await tx.code.findMany({ where: { parentId, id: { not: code.id } }, orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true } });
    const at = Math.max(0, Math.min(siblings.length, Math.trunc(input.position)));
    const order = [...siblings.slice(0, at).map((s) => s.id), code.id, ...siblings.slice(at).map((s) => s.id)];
    for (const [position, id] of order.entries()) await tx.code.update({ where: { id }, data: id === code.id ? { parentId, position } : { position } });
    if (code.parentId !== parentId) await renumber(tx, code.parentId);
    await audit(request, grant.user, { action: "code.move", entity: "code", entityId: code.id, detail: { key: code.key, from: code.parentId, to: parentId, position: at } }, tx);
    await indexCode(tx, code.id);
    return { ok: true } as const;
  }, TX);
}

async function renumber(tx: Tx, parentId: string | null) {
  const rows = await tx.code.findMany({ where: { parentId }, orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, position: true } });
  for (const [position, row] of rows.entries()) if (row.position !== position) await tx.code.update({ where: { id: row.id }, data: { position } });
}

// ---- merge, delete ---------------------------------------------------------------------------------------------

type Transfer = { codingsMoved: number; duplicatesCollapsed: number; memosMoved: number; interviews: string[] };

/**
 * Moves the codings of `sourceId` to `targetId`. A coding that would then duplicate one of the target on the same
 * passage (same transcript, start, end) collapses into it: its memos and passage links go to the remaining coding,
 * a comment is kept. Memos on the source code itself go to the target code.
 */
async function transferCodings(tx: Tx, sourceId: string, targetId: string): Promise<Transfer> {
  const source = await tx.coding.findMany({ where: { codeId: sourceId }, select: { id: true, transcriptId: true, interviewId: true, start: true, end: true, orphaned: true, comment: true } });
  const passageKey = (c: { transcriptId: string; start: number; end: number }) => `${c.transcriptId}:${c.start}:${c.end}`;
  const targetRows = source.length
    ? await tx.coding.findMany({ where: { codeId: targetId, orphaned: false, transcriptId: { in: [...new Set(source.map((c) => c.transcriptId))] } }, orderBy: { createdAt: "asc" }, select: { id: true, transcriptId: true, start: true, end: true, comment: true } })
    : [];
  const keep = new Map(targetRows.map((c) => [passageKey(c), c]));
  let duplicatesCollapsed = 0;
  const moved: string[] = [];
  for (const coding of source) {
    const twin = coding.orphaned ? undefined : keep.get(passageKey(coding));
    if (!twin) {
      moved.push(coding.id);
      if (!coding.orphaned) keep.set(passageKey(coding), { id: coding.id, transcriptId: coding.transcriptId, start: coding.start, end: coding.end, comment: coding.comment });
      continue;
    }
    await tx.memo.updateMany({ where: { codingId: coding.id }, data: { codingId: twin.id } });
    await tx.passageLink.updateMany({ where: { codingId: coding.id }, data: { codingId: twin.id } });
    if (coding.comment && coding.comment !== twin.comment) {
      twin.comment = twin.comment ? `${twin.comment}\n${coding.comment}` : coding.comment;
      await tx.coding.update({ where: { id: twin.id }, data: { comment: twin.comment } });
    }
    await tx.coding.delete({ where: { id: coding.id } });
    duplicatesCollapsed++;
  }
  if (moved.length) await tx.coding.updateMany({ where: { id: { in: moved } }, data: { codeId: targetId } });
  const memos = await tx.memo.updateMany({ where: { codeId: sourceId }, data: { codeId: targetId } });
  const interviews = [...new Set(source.map((c) => c.interviewId))];
  for (const interviewId of interviews) await codingsChanged(tx, interviewId);
  return { codingsMoved: moved.length, duplicatesCollapsed, memosMoved: memos.count, interviews };
}

/** Sub-codes of a code that goes away move up to its parent, after that parent's children. */
async function liftChildren(tx: Tx, code: { id: string; parentId: string | null }, to: string | null = code.parentId): Promise<number> {
  const children = await tx.code.findMany({ where: { parentId: code.id }, orderBy: { position: "asc" }, select: { id: true, name: true } });
  if (!children.length) return 0;
  const last = await tx.code.aggregate({ where: { parentId: to }, _max: { position: true } });
  let position = (last._max.position ?? -1) + 1;
  const taken = new Set((await tx.code.findMany({ where: { parentId: to }, select: { name: true } })).map((c) => c.name.toLocaleLowerCase("de")));
  for (const child of children) {
    // a sub-code whose name its new siblings already use gets a suffix rather than a clash
    let name = child.name;
    for (let n = 2; taken.has(name.toLocaleLowerCase("de")); n++) name = `${child.name} (${n})`;
    taken.add(name.toLocaleLowerCase("de"));
    await tx.code.update({ where: { id: child.id }, data: { parentId: to, position: position++, name } });
  }
  return children.length;
}

/** Checks a merge or reassignment of `source`'s codings into `target`. */
async function transferRefusal(tx: Tx, source: { id: string; specialCategory: boolean }, targetId: string): Promise<CodebookError | null> {
  if (source.id === targetId) return "same-code";
  const target = await tx.code.findUnique({ where: { id: targetId }, select: { id: true, specialCategory: true } });
  if (!target) return "target-missing";
  // Art. 9 content must not lose its flag by being filed under an ordinary code
  if (source.specialCategory && !target.specialCategory) return "special-to-ordinary";
  if (target.specialCategory && !source.specialCategory && (await codingsWithoutSpecialConsent(tx, [source.id])) > 0) return "consent-special";
  return null;
}

/**
 * Merges `sourceId` into `targetId`: its codings (with their memos and links), its memos and its sub-codes go to the
 * target, then it is deleted. A code cannot be merged into one of its own sub-codes.
 */
export async function mergeCodes(request: Request | null, grant: Grant, sourceId: string, targetId: string): Promise<CodebookResult<Omit<Transfer, "interviews">>> {
  requireManage(grant);
  return db.$transaction(async (tx) => {
    const source = await tx.code.findUnique({ where: { id: sourceId }, select: { id: true, key: true, parentId: true, specialCategory: true } });
    if (!source) throw notFound();
    const refusal = await transferRefusal(tx, source, targetId);
    if (refusal) return { ok: false, error: refusal } as const;
    const all = await tx.code.findMany({ select: { id: true, parentId: true } });
    if (descendantIds(all, source.id).has(targetId)) return { ok: false, error: "merge-into-descendant" } as const;
    const transfer = await transferCodings(tx, source.id, targetId);
    const lifted = await liftChildren(tx, source, targetId);
    await tx.code.delete({ where: { id: source.id } });
    await renumber(tx, source.parentId);
    const { interviews, ...counts } = transfer;
    await audit(request, grant.user, { action: "code.merge", entity: "code", entityId: source.id, detail: { key: source.key, targetId, ...counts, childrenMoved: lifted, interviews: interviews.length } }, tx);
    await removeCode(tx, source.id);
    await indexCode(tx, targetId);
    return { ok: true, ...counts } as const;
  }, TX);
}

export type DeleteChoice = { codings: "reassign"; targetId: string } | { codings: "delete"; confirm: boolean; ground: ErasureGround; note?: string | undefined } | { codings: "none" };

/**
 * Deletes a code. Its sub-codes move up one level. A code with codings needs a decision: reassign them to another
 * code (like a merge), or delete them (and their memos and links) with an explicit confirmation.
 */
export async function deleteCode(request: Request | null, grant: Grant, codeId: string, choice: DeleteChoice): Promise<CodebookResult<{ codingsDeleted: number; codingsMoved: number }>> {
  requireManage(grant);
  return db.$transaction(async (tx) => {
    const code = await tx.code.findUnique({ where: { id: codeId }, select: { id: true, key: true, parentId: true, specialCategory: true } });
    if (!code) throw notFound();
    const used = await tx.coding.count({ where: { codeId: code.id } });
    let codingsDeleted = 0;
    let codingsMoved = 0;
    let interviews: string[] = [];
    if (used && choice.codings === "none") return { ok: false, error: "in-use" } as const;
    if (used && choice.codings === "delete") {
      if (!choice.confirm) return { ok: false, error: "confirm-required" } as const;
      interviews = (await tx.coding.findMany({ where: { codeId: code.id }, distinct: ["interviewId"], select: { interviewId: true } })).map((r) => r.interviewId);
      codingsDeleted = (await tx.coding.deleteMany({ where: { codeId: code.id } })).count;
      for (const interviewId of interviews) await codingsChanged(tx, interviewId);
    }
    if (choice.codings === "reassign") {
      const refusal = await transferRefusal(tx, code, choice.targetId);
      if (refusal) return { ok: false, error: refusal } as const;
      const transfer = await transferCodings(tx, code.id, choice.targetId);
      codingsMoved = transfer.codingsMoved + transfer.duplicatesCollapsed;
      interviews = transfer.interviews;
    }
    const memos = await tx.memo.count({ where: { codeId: code.id } });
    const lifted = await liftChildren(tx, code);
    await tx.code.delete({ where: { id: code.id } });
    await renumber(tx, code.parentId);
    await audit(
      request,
      grant.user,
      { action: "code.delete", entity: "code", entityId: code.id, detail: { key: code.key, codings: choice.codings, targetId: choice.codings === "reassign" ? choice.targetId : null, codingsDeleted, codingsMoved, memosDeleted: memos, childrenMoved: lifted, interviews: interviews.length, ...(choice.codings === "delete" ? erasureAuditDetail(choice) : {}) } },
      tx,
    );
    await removeCode(tx, code.id);
    return { ok: true, codingsDeleted, codingsMoved } as const;
  }, TX);
}
