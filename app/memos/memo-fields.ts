// Memo vocabulary, shared by server and browser.
import { z } from "zod";
import { choice, requiredText } from "../utils/validation.ts";

export const MEMO_TYPES = ["theory", "method", "case", "code", "reflection", "other"] as const;
export type MemoType = (typeof MEMO_TYPES)[number];

/** What a memo is about: derived from which id it carries (a coding memo also names the coding's interview). */
export const MEMO_TARGETS = ["interview", "coding", "code", "case", "project"] as const;
export type MemoTarget = (typeof MEMO_TARGETS)[number];

/** Title and type; the rich text is read separately (app/rich-text). */
export const memoSchema = z.object({
  title: requiredText(200),
  type: choice(MEMO_TYPES),
});

/**
 * The body of the 403 for a memo the consent hides (readableMemo): names the interview (a case memo: the case's
 * pseudonym, interviewCode null), nothing of the memo.
 */
export type MemoHiddenRefusal = { error: "memo-analysis-consent"; interviewCode: string | null; casePseudonym: string | null };
