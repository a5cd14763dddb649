// Raw SQL for the hot paths (indexing a whole transcript in one statement instead of a query per row), on both
// databases: placeholders, dates as each stores them, and the dialect of a Prisma client or transaction.
import type { Prisma } from "../app/db/client.server.ts";
import { searchConfig } from "./config.ts";
import { providerOf } from "../app/db/provider.ts";

export type Tx = Prisma.TransactionClient;
export type Dialect = "sqlite" | "postgres";

export function dialectOf(client: unknown): Dialect {
  const p = (client as { _activeProvider?: string })._activeProvider;
  if (p === "sqlite") return "sqlite";
  if (p === "postgresql") return "postgres";
  return providerOf(searchConfig().DATABASE_URL);
}

/** Collects parameters and writes the dialect's placeholder for each. */
export class Params {
  readonly values: unknown[] = [];
  constructor(readonly dialect: Dialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === "postgres" ? `$${this.values.length}` : "?";
  }
  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(", ");
  }
}

/** A DateTime as the column holds it: SQLite (Prisma) keeps text "2025-04-01T00:00:00.000+00:00". */
export function toDbDate(d: Date | null, dialect: Dialect): string | null {
  if (!d) return null;
  return dialect === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString();
}

export function fromDbDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  // PostgreSQL's timestamp (without zone) comes back from JSON as "2025-03-11T10:00:00": it is UTC.
  const text = String(v);
  const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
