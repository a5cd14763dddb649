// The legal grounds a person chooses from when deleting personal data for good (GDPR Art. 16 and 17(1), and the
// district's retention rule). Stored as these keys, in the audit entry beside an optional note, so the log names
// the ground in the reader's language (common:erasureGrounds.*) and auditors can count deletions per ground.
// Asked for every deletion of personal data a person triggers by hand (ADR 0012); a withdrawal is always 17(1)(b).
import { z } from "zod";
import { choice, optionalText } from "../utils/validation.ts";

export const ERASURE_GROUNDS = [
  // Art. 16 with Art. 5(1)(d): a wrong entry must not stay.
  "inaccurate",
  "no_longer_necessary", // Art. 17(1)(a)
  "consent_withdrawn", // Art. 17(1)(b)
  "objection", // Art. 17(1)(c)
  "unlawful", // Art. 17(1)(d)
  "legal_obligation", // Art. 17(1)(e)
  // Research data are kept commonly 10 years after publication (DFG guideline 17), then deleted.
  "retention_ended",
] as const;

export type ErasureGround = (typeof ERASURE_GROUNDS)[number];

/** What every confirm form of such a deletion sends beside its own fields: the ground is required, the note is not. */
export const erasureGroundFields = { ground: choice(ERASURE_GROUNDS), note: optionalText(200) };

/** The ground and note as the audit entry stores them (an empty note is left out). */
export const erasureAuditDetail = ({ ground, note }: { ground: ErasureGround; note?: string | undefined }) => ({ ground, ...(note ? { note } : {}) });

/**
 * For a form that deletes only with some entries (an identity field emptied, the interpreter's name removed, a
 * code's codings dropped): ground and note may be missing until the save deletes; then `GROUND_MISSING` at the
 * field `ground` refuses it (the same message as a missing choice).
 */
export const erasureGroundFieldsIfDeleting = { ground: erasureGroundFields.ground.optional(), note: erasureGroundFields.note };
export const GROUND_MISSING = "validation.choose";

/** A confirm form with nothing but the ground and the note (the record is named by the page's address). */
export const erasureSchema = z.object(erasureGroundFields);
