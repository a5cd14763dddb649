// What the coding parts of the transcript editor get from the page (shared by the route, the plugin and the panel).

/** A code of the codebook as the editor shows it. */
export type EditorCode = {
  id: string;
  key: string | null;
  name: string;
  colour: string;
  parentId: string | null;
  specialCategory: boolean;
};

/** A coding as the server lists it (offsets in code points of the plain text). */
export type ServerCoding = {
  id: string;
  codeId: string;
  start: number;
  end: number;
  quote: string;
  orphaned: boolean;
  comment: string | null;
  createdBy: string | null;
  createdAt: string;
};

/** Why the server refused to apply a code (applyCodes), as the panel explains it. */
export type RefusalReason = "consent-analysis" | "consent-special" | "range" | "unknown-code" | "stale" | "failed";

export type CodingSetup = {
  interviewId: string;
  transcriptVersion: number;
  codes: EditorCode[];
  codings: ServerCoding[];
  /** write:coding and the interview's consent allows analysis */
  canCode: boolean;
  /** the consent's Art. 9 scope: codes flagged specialCategory may be applied */
  specialAllowed: boolean;
  /** why coding is not possible here (a consent gate), for the note above the panel */
  gateNote: string | null;
  /** memos on the codings, by coding id, for those who may read them (read:memo, the analysis consent) */
  memos: Record<string, PanelMemo[]>;
  /** "Memo schreiben" on a coding: write:memo and the analysis consent (the new-memo page asks again) */
  canWriteMemo: boolean;
};

/** A memo on a coding as its card shows it: title and the start of its text (plain text). */
export type PanelMemo = { id: string; title: string; excerpt: string };

/** The short key shown in a stripe: the last part of "STR.ANE". */
export const shortKey = (code: Pick<EditorCode, "key" | "name">) => (code.key ? code.key.split(".").at(-1)! : code.name.slice(0, 3));
