// Limits shared by the forms (browser) and the server checks.
/** Longest reason an integration manager may give for rejecting a proposal. */
export const MAX_REASON_LENGTH = 500;

/** A passage states a self-report made in the interview (shown as "Selbstauskunft im Interview"). */
export const PASSAGE_SOURCE = "selbstauskunft";
