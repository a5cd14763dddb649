// Stable REFI-QDA GUIDs: UUID version 5 (SHA-1, RFC 4122) of "<kind>:<id>" in a fixed namespace, so the same
// record gets the same GUID in every export and another tool can recognise it on a re-import.
import crypto from "node:crypto";

/** The namespace of every Lebenswege GUID (itself a random v4 UUID, fixed forever). */
export const REFI_NAMESPACE = "5b0d6c1e-2f4a-4c39-9a7e-3d8f1b2c4e60";

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

export function uuidV5(name: string, namespace = REFI_NAMESPACE): string {
  const hash = crypto.createHash("sha1").update(uuidBytes(namespace)).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type GuidKind = "project" | "user" | "code" | "case" | "variable" | "source" | "audio" | "transcript" | "sync" | "selection" | "coding" | "note";

export const refiGuid = (kind: GuidKind, id: string) => uuidV5(`${kind}:${id}`);

/** GUIDs in files of other tools may carry braces and upper case; compare them in one form. */
export function normalizeGuid(value: string): string {
  return value.trim().replace(/^\{(.*)\}$/, "$1").toLowerCase();
}

export const GUID_PATTERN = /^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
