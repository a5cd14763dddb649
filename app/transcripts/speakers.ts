// Speaker labels of a transcript, shared by the editor, the server and search: which labels the picker offers,
// which a person may add, and what role a label stands for. Labels follow Dresing & Pehl (I, B, D with a number
// when there are several: I1, I2, B3, D2); short names ("Rosa") as noScribe and MAXQDA users write them also work.
import { SPEAKER_NAME, type Paragraph } from "./formats/types.ts";

/** The labels every transcript offers, in the order of their keys Alt+1 ... Alt+5 (see editor/keys.ts). */
export const DEFAULT_SPEAKERS = ["I", "B", "B1", "B2", "D"] as const;

export const MAX_SPEAKER_LENGTH = 16;

// The same pattern the text formats read back ("Rosa: ..."), so a label given here survives an export to plain
// text, DOCX, SRT or QDPX and the import of that file.
const NAME = new RegExp(`^${SPEAKER_NAME}$`, "u");

/**
 * What is wrong with a label a person typed (an i18n key in the transcripts namespace), or null when it can be
 * used. Spaces around it do not count (see normalizeSpeaker).
 */
export function speakerLabelError(input: string): string | null {
  const label = normalizeSpeaker(input);
  if (label === "") return "speakers.errors.empty";
  if (Array.from(label).length > MAX_SPEAKER_LENGTH) return "speakers.errors.tooLong";
  if (!NAME.test(label)) return "speakers.errors.format";
  return null;
}

// NFC: a name typed or pasted with combining accents ("Zoe" + U+0308) is the same label as "Zoë".
export const normalizeSpeaker = (input: string) => input.trim().normalize("NFC");

/** The picker's labels: the defaults, then every other label the paragraphs use, in order of first use. */
export function speakerChoices(paragraphs: readonly Pick<Paragraph, "speaker">[], extra: readonly string[] = []): string[] {
  const out = new Set<string>(DEFAULT_SPEAKERS);
  for (const p of paragraphs) if (p.speaker) out.add(p.speaker);
  for (const s of extra) if (s) out.add(s);
  return [...out];
}

/** How many paragraphs each label has ("" for unassigned), in order of first use. */
export function speakerCounts(paragraphs: readonly Pick<Paragraph, "speaker">[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of paragraphs) counts.set(p.speaker, (counts.get(p.speaker) ?? 0) + 1);
  return counts;
}

/** The Dresing & Pehl role labels (I, B, D, numbered or not): they say nothing about a person, unlike "Rosa". */
export const isRoleLabel = (label: string) => /^[IBD]\d*$/.test(label);

export const SPEAKER_ROLES = ["interviewer", "interviewee", "interpreter", "other"] as const;
export type SpeakerRole = (typeof SPEAKER_ROLES)[number];

/** Roles the editor gave labels other than their first letter's ("Rosa" interviews), stored with the transcript. */
export type SpeakerRoles = Record<string, SpeakerRole>;

const isRole = (value: unknown): value is SpeakerRole => typeof value === "string" && (SPEAKER_ROLES as readonly string[]).includes(value);

/**
 * A label's role: the one the editor gave it, else from its first letter. I, I1, I2 ... interview; D, D1, D2 ...
 * interpret (Dolmetscher:in); every other label is someone interviewed (B, B3, a short name like "Rosa"): further
 * people in an interview are interviewees far more often than staff. Only an unassigned turn ("") is "other"
 * unless given a role. Search's speaker filter uses this; retrieval's SQL computes the same (speakerRoleOf in
 * retrieval/sql.server.ts: change both). The role is stored in the index: after a change of the defaults here,
 * `npm run search:reindex` rewrites the entries whose role changed.
 */
export function speakerRole(label: string, roles: SpeakerRoles = {}): SpeakerRole {
  const given = Object.hasOwn(roles, label) ? roles[label] : undefined;
  if (given) return given;
  if (label === "") return "other";
  if (/^I\d*$/.test(label)) return "interviewer";
  if (/^D\d*$/.test(label)) return "interpreter";
  return "interviewee";
}

/**
 * The roles worth storing for these paragraphs: of labels in use, only those that differ from their default (so an
 * old transcript stays "{}", and a label renamed away leaves nothing behind). Anything unreadable counts as none.
 */
export function storedSpeakerRoles(roles: unknown, paragraphs: readonly Pick<Paragraph, "speaker">[]): SpeakerRoles {
  if (!roles || typeof roles !== "object" || Array.isArray(roles)) return {};
  const used = new Set(paragraphs.map((p) => p.speaker));
  return Object.fromEntries(Object.entries(roles).filter(([label, role]) => used.has(label) && isRole(role) && role !== speakerRole(label)));
}

/** The roles column as read from the database (JSON); a broken value counts as none given. */
export function parseSpeakerRoles(value: unknown): SpeakerRoles {
  try {
    const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, SpeakerRole] => isRole(entry[1])));
  } catch {
    return {};
  }
}
