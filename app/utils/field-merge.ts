// Two people saving the same short form (a case's fields, its identity record, an interview's data): each field
// is merged three ways, as a version control system merges lines. The form carries the values it was loaded with
// (hidden `base-<field>` inputs); a field the person left alone takes what was saved meanwhile, a field only they
// changed takes theirs, and a field both changed to different values is a conflict: the save is refused, the
// person's entries stay in the form, and the newer value is shown beside it (ADR 0013). Before, the later save
// silently wrote back the older values of fields it had not touched.

export const BASE_PREFIX = "base-";

export type FormValues<K extends string> = Record<K, string>;

export type FieldMerge<K extends string> = {
  /** Which side each field's saved value comes from. */
  take: Record<K, "mine" | "theirs">;
  /** Fields both changed, to different values: nothing may be saved. */
  conflicts: K[];
  /** Fields someone else changed meanwhile whose change the merge keeps. */
  keptTheirs: K[];
  /**
   * The base of the person's next save after a refusal: the newer value in each conflicting field (they have seen
   * it), the old base elsewhere, so a field only the other changed still keeps the other's value.
   */
  nextBase: FormValues<K>;
  /** What the form shows after a refusal: the person's value, except where only the other changed the field. */
  proposed: FormValues<K>;
};

/**
 * The values the form was loaded with, or null for a post without them (a page loaded before this existed, a
 * script): such a save is taken as it is, as before.
 */
export function readBase<K extends string>(form: FormData, fields: readonly K[]): Partial<FormValues<K>> | null {
  if (!fields.some((f) => form.has(BASE_PREFIX + f))) return null;
  const base: Partial<FormValues<K>> = {};
  for (const f of fields) {
    const v = form.get(BASE_PREFIX + f);
    if (typeof v === "string") base[f] = v;
  }
  return base;
}

export function mergeFields<K extends string>(fields: readonly K[], base: Partial<FormValues<K>> | null, mine: FormValues<K>, current: FormValues<K>): FieldMerge<K> {
  const take = {} as Record<K, "mine" | "theirs">;
  const conflicts: K[] = [];
  const keptTheirs: K[] = [];
  const nextBase = {} as FormValues<K>;
  const proposed = {} as FormValues<K>;
  for (const f of fields) {
    const b = base?.[f];
    if (base === null || b === undefined || current[f] === b || current[f] === mine[f]) {
      take[f] = "mine"; // nobody else changed it, or both made the same change
    } else if (mine[f] === b) {
      take[f] = "theirs";
      keptTheirs.push(f);
    } else {
      take[f] = "mine";
      conflicts.push(f);
    }
    nextBase[f] = conflicts.includes(f) ? current[f] : (b ?? current[f]);
    proposed[f] = take[f] === "theirs" ? current[f] : mine[f];
  }
  return { take, conflicts, keptTheirs, nextBase, proposed };
}

/**
 * A set (roles, municipalities) merged element by element: the person's additions and removals applied to what is
 * stored now, so an element someone else added or removed meanwhile stays as they left it. Never a conflict: two
 * changes of one element can only agree. Without a base the person's set is taken as it is.
 */
export function mergeSet<T extends string>(base: readonly T[] | null, mine: readonly T[], current: readonly T[]): T[] {
  if (base === null) return [...new Set(mine)];
  const added = mine.filter((x) => !base.includes(x));
  const removed = base.filter((x) => !mine.includes(x));
  return [...new Set([...current.filter((x) => !removed.includes(x)), ...added])];
}

/** The merged record: each field from the side `take` names. */
export function pickMerged<K extends string, T extends Partial<Record<K, unknown>>>(take: Record<K, "mine" | "theirs">, mine: T, theirs: T): T {
  const out = { ...mine };
  for (const f of Object.keys(take) as K[]) if (take[f] === "theirs") out[f] = theirs[f];
  return out;
}
