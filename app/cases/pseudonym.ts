// The form of a case pseudonym (LOE-<year of start>-<4 digits>), shared by the server that assigns them and the
// redaction engine that must leave them alone: a pseudonym is the project's own stand-in for a person.
export const PSEUDONYM_PATTERN = /^LOE-(\d{4})-(\d{4})$/;

/** Pseudonyms inside a text ("Kontrastfall zu LOE-2016-0001"). */
export const PSEUDONYM_IN_TEXT = /(?<![\p{L}\p{N}])LOE-\d{4}-\d{4}(?![\p{L}\p{N}])/gu;
