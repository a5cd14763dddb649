// Identity records are encrypted at rest with AES-256-GCM (node:crypto). Each record names the key it was
// written with, so keys can be rotated: new writes use IDENTITY_KEY, IDENTITY_OLD_KEYS stay readable.
import crypto from "node:crypto";
import { env } from "../env.server.ts";

export type Sealed = { keyId: string; iv: string; tag: string; ciphertext: string };

function keys(): Map<string, Buffer> {
  const e = env();
  const map = new Map<string, Buffer>([[e.IDENTITY_KEY_ID, Buffer.from(e.IDENTITY_KEY, "base64")]]);
  for (const pair of e.IDENTITY_OLD_KEYS.split(",").filter(Boolean)) {
    const [id, key] = pair.split(":");
    if (id && key && !map.has(id)) map.set(id, Buffer.from(key, "base64"));
  }
  return map;
}

/** The record id is bound in as additional data, so a ciphertext copied onto another case fails to open. */
export function seal(plain: unknown, recordId: string): Sealed {
  const keyId = env().IDENTITY_KEY_ID;
  const key = keys().get(keyId)!;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(recordId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plain), "utf8"), cipher.final()]);
  return { keyId, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64") };
}

export function open<T>(sealed: Sealed, recordId: string): T {
  const key = keys().get(sealed.keyId);
  if (!key) throw new Error(`identity key "${sealed.keyId}" is not configured (IDENTITY_KEY / IDENTITY_OLD_KEYS)`);
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(Buffer.from(recordId));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]);
  return JSON.parse(plain.toString("utf8")) as T;
}
