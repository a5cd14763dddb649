// Indicator definitions: labels, staleness period, active flag, allowed values and ranges. The type is
// fixed once snapshots exist, and an allowed value that snapshots use cannot be removed, so recorded
// history always stays valid against its definition.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { allowedValuesOf, decodeValue, DEFINITION_COLUMNS, encodeValue } from "../indicators/values.ts";
import { notFound } from "../utils/responses.server.ts";
import { validationMessage as msg } from "../utils/validation.ts";
import type { AdminContext, Outcome } from "./users.server.ts";

const SELECT = { ...DEFINITION_COLUMNS, active: true } as const;

export async function listIndicators() {
  const rows = await db.indicatorDefinition.findMany({ select: SELECT, orderBy: [{ sortOrder: "asc" }, { code: "asc" }] });
  return rows.map((r) => ({ ...r, allowedValues: allowedValuesOf(r) }));
}

export async function getIndicator(indicatorId: string) {
  const row = await db.indicatorDefinition.findUnique({ where: { id: indicatorId }, select: { ...SELECT, _count: { select: { snapshots: true } } } });
  if (!row) return null;
  const { _count, ...rest } = row;
  return { ...rest, allowedValues: allowedValuesOf(row), snapshotCount: _count.snapshots };
}

export type CreateIndicatorInput = { code: string; labelDe: string; labelEn: string; category: string; dimension?: string; type: string };

/** New indicators start inactive: forms and reports only see them once the admin has configured them. */
export async function createIndicator(ctx: AdminContext, input: CreateIndicatorInput): Promise<Outcome<{ indicatorId: string }>> {
  if (await db.indicatorDefinition.findUnique({ where: { code: input.code }, select: { id: true } })) return { ok: false, fieldErrors: { code: ["admin:indicators.codeTaken"] } };
  try {
    const indicatorId = await db.$transaction(async (tx) => {
      const last = await tx.indicatorDefinition.aggregate({ _max: { sortOrder: true } });
      const row = await tx.indicatorDefinition.create({
        data: {
          code: input.code,
          labelDe: input.labelDe,
          labelEn: input.labelEn,
          category: input.category,
          dimension: input.dimension ?? null,
          type: input.type,
          active: false,
          sortOrder: (last._max.sortOrder ?? 0) + 1,
        },
        select: { id: true },
      });
      await audit(ctx.request, ctx.actor, { action: "indicator.create", entity: "indicator", entityId: row.id, detail: { code: input.code, type: input.type, category: input.category } }, tx);
      return row.id;
    });
    return { ok: true, indicatorId };
  } catch (e) {
    if (typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002") return { ok: false, fieldErrors: { code: ["admin:indicators.codeTaken"] } };
    throw e;
  }
}

/**
 * How many snapshots record each of the given values. Enum values are stored as one JSON string, so
 * equality finds them; multi values sit inside a JSON array, so a `contains` pre-filter is checked exactly.
 */
/** Recorded values of a number indicator outside [min, max] (either may be open): how many, and the extremes. */
async function valuesOutsideRange(indicatorId: string, min: number | null, max: number | null) {
  const result = { count: 0, below: false, lowest: Number.POSITIVE_INFINITY, highest: Number.NEGATIVE_INFINITY };
  if (min === null && max === null) return result;
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.snapshot.findMany({ where: { indicatorId, state: "known" }, select: { id: true, value: true }, orderBy: { id: "asc" }, take: 5000, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    for (const row of batch) {
      const value = Number(decodeValue(row.value));
      if (!Number.isFinite(value)) continue;
      result.lowest = Math.min(result.lowest, value);
      result.highest = Math.max(result.highest, value);
      if (min !== null && value < min) {
        result.count++;
        result.below = true;
      } else if (max !== null && value > max) result.count++;
    }
    if (batch.length < 5000) break;
    cursor = batch.at(-1)!.id;
  }
  return result;
}

export async function valueUsage(indicatorId: string, type: string, values: string[]): Promise<Map<string, number>> {
  const usage = new Map<string, number>();
  if (values.length === 0) return usage;
  if (type === "enum") {
    const rows = await db.snapshot.groupBy({ by: ["value"], where: { indicatorId, state: "known", value: { in: values.map(encodeValue) } }, _count: { _all: true } });
    for (const r of rows) usage.set(String(decodeValue(r.value)), r._count._all);
    return usage;
  }
  for (const value of values) {
    let count = 0;
    let cursor: string | undefined;
    // Batched, so a popular value does not load every snapshot at once.
    for (;;) {
      const batch = await db.snapshot.findMany({
        where: { indicatorId, state: "known", value: { contains: encodeValue(value) } },
        select: { id: true, value: true },
        orderBy: { id: "asc" },
        take: 5000,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      for (const row of batch) {
        const decoded = decodeValue(row.value);
        if (Array.isArray(decoded) ? decoded.map(String).includes(value) : String(decoded) === value) count++;
      }
      if (batch.length < 5000) break;
      cursor = batch[batch.length - 1]!.id;
    }
    if (count > 0) usage.set(value, count);
  }
  return usage;
}

/** Recorded values that are not in `allowed`, with their counts (a batched scan of the indicator's snapshots). */
export async function valuesOutside(indicatorId: string, allowed: string[]): Promise<Map<string, number>> {
  const outside = new Map<string, number>();
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.snapshot.findMany({
      where: { indicatorId, state: "known" },
      select: { id: true, value: true },
      orderBy: { id: "asc" },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of batch) {
      const decoded = decodeValue(row.value);
      for (const v of (Array.isArray(decoded) ? decoded : [decoded]).map(String)) {
        if (!allowed.includes(v)) outside.set(v, (outside.get(v) ?? 0) + 1);
      }
    }
    if (batch.length < 5000) break;
    cursor = batch[batch.length - 1]!.id;
  }
  return outside;
}

export type UpdateIndicatorInput = {
  labelDe: string;
  labelEn: string;
  stalenessMonths: number;
  active: boolean;
  allowedValues?: string[]; // enum / multi; empty for multi means free codes
  minValue?: number | null; // number
  maxValue?: number | null;
};

export async function updateIndicator(ctx: AdminContext, indicatorId: string, input: UpdateIndicatorInput): Promise<Outcome<{ changed: string[] }>> {
  const current = await getIndicator(indicatorId);
  if (!current) throw notFound();
  const data: Record<string, unknown> = {};
  const changed: string[] = [];
  const set = (field: string, before: unknown, after: unknown) => {
    if (before === after) return;
    data[field] = after;
    changed.push(field);
  };
  set("labelDe", current.labelDe, input.labelDe);
  set("labelEn", current.labelEn, input.labelEn);
  set("stalenessMonths", current.stalenessMonths, input.stalenessMonths);
  set("active", current.active, input.active);

  let added: string[] = [];
  let removed: string[] = [];
  if ((current.type === "enum" || current.type === "multi") && input.allowedValues) {
    const before = current.allowedValues ?? [];
    const after = input.allowedValues;
    if (current.type === "enum" && after.length === 0) return { ok: false, fieldErrors: { allowedValues: ["admin:indicators.valuesRequired"] } };
    added = after.filter((v) => !before.includes(v));
    removed = before.filter((v) => !after.includes(v));
    // Closing a free list (multi without allowed values) must keep every code already recorded.
    const usage = current.allowedValues === null && after.length > 0 ? await valuesOutside(indicatorId, after) : await valueUsage(indicatorId, current.type, removed);
    if (usage.size > 0) {
      return { ok: false, fieldErrors: { allowedValues: [...usage].map(([value, count]) => msg("admin:indicators.valueInUse", { value, count })) } };
    }
    const encoded = after.length ? JSON.stringify(after) : null;
    set("allowedValues", current.allowedValues ? JSON.stringify(current.allowedValues) : null, encoded);
  }
  if (current.type === "enum" && input.active && !(input.allowedValues?.length ?? current.allowedValues?.length)) {
    return { ok: false, fieldErrors: { allowedValues: ["admin:indicators.valuesRequired"] } };
  }
  if (current.type === "number") {
    const min = input.minValue ?? null;
    const max = input.maxValue ?? null;
    // A narrower range must still hold every value recorded, as a removed list value must be unused.
    const outside = await valuesOutsideRange(indicatorId, min, max);
    if (outside.count > 0) {
      return { ok: false, fieldErrors: { [outside.below ? "minValue" : "maxValue"]: [msg("admin:indicators.rangeInUse", { count: outside.count, lowest: outside.lowest, highest: outside.highest })] } };
    }
    set("minValue", current.minValue, min);
    set("maxValue", current.maxValue, max);
  }
  if (changed.length === 0) return { ok: true, changed };
  await db.$transaction(async (tx) => {
    await tx.indicatorDefinition.update({ where: { id: indicatorId }, data });
    const detail: Record<string, unknown> = { code: current.code, fields: changed };
    if (added.length) detail.added = added;
    if (removed.length) detail.removed = removed;
    await audit(ctx.request, ctx.actor, { action: "indicator.update", entity: "indicator", entityId: indicatorId, detail }, tx);
  });
  return { ok: true, changed };
}

export async function indicatorCounts() {
  const [total, active] = await Promise.all([db.indicatorDefinition.count(), db.indicatorDefinition.count({ where: { active: true } })]);
  return { total, active };
}
