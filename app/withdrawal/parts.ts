// The parts a withdrawal can name, for forms and pages (browser-safe). The same list as WITHDRAWAL_PARTS in
// erasers.server.ts (a server module, empty in the browser bundle); withdraw.test.ts checks they agree.
import type { ConsentScope } from "../consent/scopes.ts";

export const WITHDRAWAL_PARTS = ["recording", "consent_documents", "transcript", "codings", "links", "interview"] as const;
export type WithdrawalPart = (typeof WITHDRAWAL_PARTS)[number];

/** Consent scopes a partial withdrawal takes away, per part (deleting the audio withdraws "recording"). */
export const SCOPES_OF_PART = {
  recording: ["recording"],
  consent_documents: [],
  transcript: ["transcription", "externalTranscription"],
  codings: ["analysis"],
  links: ["linking"],
  interview: [],
} as const satisfies Record<WithdrawalPart, readonly ConsentScope[]>;
