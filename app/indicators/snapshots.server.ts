// Snapshots of one case: current values per indicator, the history of one indicator, recording a new
// observation. Every function takes the grant and puts its scope into the query (a case outside the
// user's municipalities is "not found", never loaded and then refused).
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { decodeValue, DEFINITION_COLUMNS, encodeValue, isStale, parseQualifiers, type QualifierValues, type SnapshotState } from "./values.ts";
import { parseSnapshotValue, type FormIndicator, type SnapshotInput } from "./snapshot-form.ts";
import type { ErasureGround } from "../consent/erasure-grounds.ts";

const definitionSelect = { ...DEFINITION_COLUMNS, lmCode: true } as const;

export async function requireCaseInScope(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({ where: { id: caseId, ...caseScope(grant) }, select: { id: true, pseudonym: true, status: true } });
  if (!row) throw notFound();
  return row;
}

/** Active indicator definitions in their fixed order (hard before soft, as in indicators.yaml). */
export async function activeIndicators() {
  return db.indicatorDefinition.findMany({ where: { active: true }, select: definitionSelect, orderBy: [{ sortOrder: "asc" }, { code: "asc" }] });
}

export type IndicatorDefinitionRow = Awaited<ReturnType<typeof activeIndicators>>[number];

/** The latest observation of every active indicator for one case (in scope), with its staleness. */
export async function caseOverview(grant: Grant, caseId: string, now = new Date()) {
  const kase = await requireCaseInScope(grant, caseId);
  const indicators = await activeIndicators();
  const rows = await db.snapshot.findMany({
    where: { caseId: kase.id, case: caseScope(grant), indicatorId: { in: indicators.map((i) => i.id) } },
    select: { indicatorId: true, state: true, value: true, qualifiers: true, observedAt: true, source: true, verified: true },
    // the same order as currentValues(): latest observation, then latest entry
    orderBy: [{ observedAt: "desc" }, { createdAt: "desc" }],
  });
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!latest.has(row.indicatorId)) latest.set(row.indicatorId, row);
  return {
    case: kase,
    indicators: indicators.map((def) => {
      const row = latest.get(def.id);
      return {
        definition: def,
        current: row
          ? {
              state: row.state as SnapshotState,
              value: decodeValue(row.value),
              qualifiers: decodeValue(row.qualifiers) as QualifierValues | null,
              observedAt: row.observedAt,
              source: row.source,
              verified: row.verified,
              stale: isStale(row.observedAt, def.stalenessMonths, now),
            }
          : null,
      };
    }),
  };
}

/** Every observation of one indicator for one case, newest first, with the recording user's display name. */
export async function indicatorHistory(grant: Grant, caseId: string, code: string) {
  const kase = await requireCaseInScope(grant, caseId);
  const definition = await db.indicatorDefinition.findUnique({ where: { code }, select: { ...definitionSelect, active: true } });
  if (!definition) throw notFound();
  const rows = await db.snapshot.findMany({
    where: { caseId: kase.id, case: caseScope(grant), indicatorId: definition.id },
    select: { id: true, state: true, value: true, qualifiers: true, observedAt: true, source: true, verified: true, recordedById: true, createdAt: true },
    orderBy: [{ observedAt: "desc" }, { createdAt: "desc" }],
  });
  const userIds = [...new Set(rows.map((r) => r.recordedById).filter((id): id is string => id !== null))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return {
    case: kase,
    definition,
    snapshots: rows.map((r) => ({
      id: r.id,
      state: r.state as SnapshotState,
      value: decodeValue(r.value),
      qualifiers: decodeValue(r.qualifiers) as QualifierValues | null,
      observedAt: r.observedAt,
      source: r.source,
      verified: r.verified,
      recordedBy: r.recordedById ? (names.get(r.recordedById) ?? null) : null,
      createdAt: r.createdAt,
    })),
  };
}

/** An active indicator by code, with what the form needs to validate its value. */
export async function formIndicator(code: string) {
  return db.indicatorDefinition.findFirst({ where: { code, active: true }, select: definitionSelect });
}

/**
 * Saves one observation (already validated with snapshotSchema) and its audit entry together. The value is
 * parsed again here, so nothing reaches the database that parseValue() has not accepted.
 */
export async function recordSnapshot(request: Request, grant: Grant, caseId: string, def: FormIndicator & { id: string }, input: SnapshotInput) {
  const kase = await requireCaseInScope(grant, caseId);
  let value: string | null = null;
  let qualifiers: string | null = null;
  if (input.state === "known") {
    const parsed = parseSnapshotValue(def, input.value);
    if (!parsed.ok) throw new Error(`snapshot value rejected after validation: ${parsed.error}`);
    value = encodeValue(parsed.value);
    const details = parseQualifiers(def, input.qualifiers ?? undefined);
    if (!details.ok) throw new Error(`snapshot qualifier rejected after validation: ${details.key}`);
    qualifiers = details.value ? encodeValue(details.value) : null;
  }
  return db.$transaction(async (tx) => {
    const created = await tx.snapshot.create({
      data: {
        caseId: kase.id,
        indicatorId: def.id,
        state: input.state,
        value,
        qualifiers,
        observedAt: input.observedAt,
        source: input.source,
        verified: input.verified ?? false,
        recordedById: grant.user.id,
      },
      select: { id: true },
    });
    // The indicator code, never the value: values are special-category data.
    await audit(request, grant.user, { action: "snapshot.create", entity: "case", entityId: kase.id, detail: { indicator: def.code, snapshotId: created.id } }, tx);
    return created;
  });
}

/**
 * Deletes an observation entered in error (GDPR Art. 16: a wrong value must not stay the current one). The row goes
 * with its audit entry in one transaction; the audit names indicator, snapshot, the legal ground (a key) and the
 * optional note, never the value. The current value then falls back to the previous observation everywhere, as all
 * figures are read from the rows.
 * Passage links to it keep their passage (onDelete SetNull). Returns the indicator code, or throws 404 for a
 * snapshot outside the case or the user's scope.
 */
export async function deleteSnapshot(request: Request, grant: Grant, caseId: string, snapshotId: string, { ground, note }: { ground: ErasureGround; note?: string }) {
  const kase = await requireCaseInScope(grant, caseId);
  return db.$transaction(async (tx) => {
    const row = await tx.snapshot.findFirst({ where: { id: snapshotId, caseId: kase.id, case: caseScope(grant) }, select: { id: true, indicator: { select: { code: true } } } });
    if (!row) throw notFound();
    // deleteMany: a second tab deleting the same row meanwhile gets "not found", not a Prisma error.
    const deleted = await tx.snapshot.deleteMany({ where: { id: row.id } });
    if (deleted.count !== 1) throw notFound();
    await audit(request, grant.user, { action: "snapshot.delete", entity: "case", entityId: kase.id, detail: { indicator: row.indicator.code, snapshotId: row.id, ground, ...(note ? { note } : {}) } }, tx);
    return { code: row.indicator.code };
  });
}
