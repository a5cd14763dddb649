// Building blocks shared by the storage implementations (kept apart from storage.server.ts, which imports them).
import crypto from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export type PutResult = { size: number; sha256: string };

export class StorageNotFound extends Error {
  constructor(key: string) {
    super(`storage object ${key} not found`);
    this.name = "StorageNotFound";
  }
}

/** The configured bucket does not exist: the configuration is wrong (S3_BUCKET, S3_ENDPOINT), no recording is gone. */
export class StorageBucketMissing extends Error {
  constructor(readonly bucket: string) {
    super(`the storage bucket "${bucket}" does not exist: check S3_BUCKET (and S3_ENDPOINT)`);
    this.name = "StorageBucketMissing";
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{7,127}$/;

/** A new storage key: a random UUID, never derived from anything the user typed. */
export function newStorageKey(): string {
  return crypto.randomUUID();
}

/** Keys are ids; anything else (slashes, dots, a user's file name) is refused before it can reach a path. */
export function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

/** Counts bytes and computes sha256 while the data passes through (one pass, nothing kept). */
export class HashingCounter extends Transform {
  private readonly hash = crypto.createHash("sha256");
  // Not called "size": lib-storage would take a stream's `size` property for its total length.
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  result(): PutResult {
    return { size: this.bytes, sha256: this.hash.digest("hex") };
  }
}

