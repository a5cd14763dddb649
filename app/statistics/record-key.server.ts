// Record keys of the cell key method (ADR 0021). Each case draws one when it is created and keeps it: the noise of a
// published count follows from the keys of the cases counted in it, so the same cases give the same noise in every
// table and month. Keys stay on the server (no select of a page, export or CSV names them).
import { randomInt } from "node:crypto";

/** Steps of a key: multiples of 2^-31, so a sum of up to 2^22 keys is exact in floating point in any order. */
export const RECORD_KEY_STEPS = 2 ** 31;

/** A fresh record key, uniform in [0, 1), from the operating system's cryptographic generator. */
export function newRecordKey(): number {
  return randomInt(RECORD_KEY_STEPS) / RECORD_KEY_STEPS;
}
