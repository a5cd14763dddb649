// A file that is refused as a whole: nothing is written. `code` names an i18n key under refi:refusal.*;
// `detail` (an entry name, a GUID, a position) is shown beside it so the researcher can find the problem.
export type RefusalCode =
  | "notZip"
  | "tooLarge"
  | "tooManyEntries"
  | "entryTooLarge"
  | "totalTooLarge"
  | "ratio"
  | "badEntryName"
  | "unsafePath"
  | "duplicateEntry"
  | "encryptedEntry"
  | "brokenZip"
  | "noProject"
  | "doctype"
  | "invalidUtf8"
  | "encoding"
  | "xmlSyntax"
  | "xmlTooLarge"
  | "wrongNamespace"
  | "wrongRoot"
  | "missingAttribute"
  | "badGuid"
  | "duplicateGuid"
  | "danglingGuid"
  | "badPosition"
  | "positionOutOfRange"
  | "missingSource"
  | "badSourcePath"
  | "noText"
  | "noCodes";

export class RefiRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly detail: string = "",
  ) {
    super(`REFI import refused: ${code}${detail ? ` (${detail})` : ""}`);
    this.name = "RefiRefusal";
  }
}
