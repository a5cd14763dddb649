// Filters of the coded-segment retrieval and the code matrix, shared by the pages (form fields) and the
// server (parsing the URL). Filters live in the query string, so a result can be bookmarked and exported
// with the same URL. Unknown values are ignored, not errors.
import { CASE_GROUPS } from "../cases/case-fields.ts";
import { MAX_SPEAKER_LENGTH, SPEAKER_ROLES, type SpeakerRole } from "../transcripts/speakers.ts";

/** Enumerated indicators a researcher can filter by, with the value the case had at the interview's date. */
export const ATTRIBUTE_INDICATORS = ["P.GESCHL", "S.AUFST", "S.DTNIV", "S.ERW", "S.WOHN", "S.IK"] as const;
export type AttributeIndicator = (typeof ATTRIBUTE_INDICATORS)[number];

/** Age at the interview (birth year from P.GEBJ), inclusive bounds. */
export const AGE_BANDS = [
  { key: "under18", min: 0, max: 17 },
  { key: "18-29", min: 18, max: 29 },
  { key: "30-44", min: 30, max: 44 },
  { key: "45-64", min: 45, max: 64 },
  { key: "65plus", min: 65, max: 200 },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]["key"];

export function ageBandOf(age: number | null): AgeBand | null {
  if (age === null || !Number.isFinite(age)) return null;
  return AGE_BANDS.find((b) => age >= b.min && age <= b.max)?.key ?? null;
}

export const PAGE_SIZE = 25;
export const MAX_EXPORT_ROWS = 5000;

export type SegmentFilters = {
  /** selected codes (ids); none = every code */
  codeIds: string[];
  /** or: a segment of any selected code; and: a segment that overlaps segments of every selected code */
  mode: "or" | "and";
  /** a selected code includes its sub-codes */
  subcodes: boolean;
  municipalityIds: string[];
  groups: string[];
  ageBand: AgeBand | null;
  /** indicator values at the interview's date, e.g. S.DTNIV = B1 */
  indicators: { code: AttributeIndicator; value: string }[];
  /** interview code (INT-2025-0001) */
  interview: string | null;
  /** the role of who speaks where the segment starts (speakerRole, as search filters), not the label */
  speaker: SpeakerRole | null;
  /**
   * a label from an address made before the filter took roles (?speaker=D): the segments that start in a turn with
   * that label, whatever role the editor gave it, as the address found them when it was made; said on the page
   */
  speakerLabel: string | null;
  authorId: string | null;
  page: number;
};

const many = (url: URL, name: string) => [...new Set(url.searchParams.getAll(name).map((v) => v.trim()).filter(Boolean))].slice(0, 200);
const one = (url: URL, name: string, max = 100) => {
  const v = url.searchParams.get(name)?.trim();
  return v ? v.slice(0, max) : null;
};

const isRole = (value: string | null): value is SpeakerRole => value !== null && (SPEAKER_ROLES as readonly string[]).includes(value);

export function parseSegmentFilters(url: URL): SegmentFilters {
  const ageBand = one(url, "age");
  const speaker = one(url, "speaker", MAX_SPEAKER_LENGTH);
  const page = Number(url.searchParams.get("page") ?? "1");
  return {
    codeIds: many(url, "code"),
    mode: url.searchParams.get("mode") === "and" ? "and" : "or",
    // sub-codes are included unless the form says otherwise (the checkbox sends sub=1, the form adds sub=0 when unticked)
    subcodes: url.searchParams.getAll("sub").length === 0 || url.searchParams.getAll("sub").includes("1"),
    municipalityIds: many(url, "municipality"),
    groups: many(url, "group").filter((g) => (CASE_GROUPS as readonly string[]).includes(g)),
    ageBand: AGE_BANDS.some((b) => b.key === ageBand) ? (ageBand as AgeBand) : null,
    indicators: ATTRIBUTE_INDICATORS.flatMap((code) => {
      const value = one(url, `i.${code}`);
      return value ? [{ code, value }] : [];
    }),
    interview: one(url, "interview"),
    speaker: isRole(speaker) ? speaker : null,
    speakerLabel: isRole(speaker) ? null : speaker,
    authorId: one(url, "author"),
    page: Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

/** The query string of filters (without the page), for export links and paging. */
export function filterQuery(f: SegmentFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const id of f.codeIds) q.append("code", id);
  if (f.mode === "and") q.set("mode", "and");
  if (!f.subcodes) q.set("sub", "0");
  for (const m of f.municipalityIds) q.append("municipality", m);
  for (const g of f.groups) q.append("group", g);
  if (f.ageBand) q.set("age", f.ageBand);
  for (const i of f.indicators) q.set(`i.${i.code}`, i.value);
  if (f.interview) q.set("interview", f.interview);
  if (f.speaker) q.set("speaker", f.speaker);
  else if (f.speakerLabel) q.set("speaker", f.speakerLabel);
  if (f.authorId) q.set("author", f.authorId);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

export const EMPTY_FILTERS: SegmentFilters = {
  codeIds: [],
  mode: "or",
  subcodes: true,
  municipalityIds: [],
  groups: [],
  ageBand: null,
  indicators: [],
  interview: null,
  speaker: null,
  speakerLabel: null,
  authorId: null,
  page: 1,
};
