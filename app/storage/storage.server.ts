// Recordings and scanned consent forms live behind one interface: a local folder (default) or S3-compatible
// object storage, chosen by STORAGE. Keys are generated ids (newStorageKey); what the user called the file is
// display text in the database only, never part of a path or an object name.
import type { Readable } from "node:stream";
import { env } from "../env.server.ts";
import { createLocalStorage } from "./local.server.ts";
import { createS3Storage } from "./s3.server.ts";
import type { PutResult } from "./primitives.server.ts";

export { HashingCounter, StorageBucketMissing, StorageNotFound, assertKey, newStorageKey, type PutResult } from "./primitives.server.ts";

/** Inclusive byte positions, like HTTP Range. */
export type ByteRange = { start: number; end: number };

/** Where ffprobe can read a stored object: a file path or a short-lived URL, and the protocols it needs. */
export type ProbeSource = { input: string; protocols: string };

export interface Storage {
  readonly kind: "local" | "s3";
  /**
   * Streams `body` under `key` and returns its size and sha256. The object appears under its final name only
   * when complete; on any failure (source error, disk full, aborted upload) nothing is left behind.
   * expectedBytes (when known) lets S3 choose a part size that keeps within its 10,000 parts.
   */
  put(key: string, body: Readable, options?: { contentType?: string; expectedBytes?: number }): Promise<PutResult>;
  /** The bytes of `range` (or all) as a stream; rejects with StorageNotFound if the key does not exist. */
  get(key: string, range?: ByteRange, options?: { signal?: AbortSignal }): Promise<Readable>;
  stat(key: string): Promise<{ size: number } | null>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys of complete objects (for tests and orphan checks). */
  list(): Promise<string[]>;
  probeSource(key: string): Promise<ProbeSource>;
}

export type StorageConfig =
  | { kind: "local"; dir: string }
  | { kind: "s3"; endpoint?: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };

export function storageConfigFromEnv(): StorageConfig {
  const e = env();
  if (e.STORAGE === "s3") {
    return {
      kind: "s3",
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET!,
      accessKeyId: e.S3_ACCESS_KEY_ID!,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: e.S3_FORCE_PATH_STYLE === "true",
    };
  }
  return { kind: "local", dir: e.STORAGE_DIR };
}

export function createStorage(config: StorageConfig): Storage {
  return config.kind === "s3" ? createS3Storage(config) : createLocalStorage(config.dir);
}

const holder = globalThis as unknown as { __lebenswegeStorage?: Storage };

/** The process-wide storage from the configuration. */
export function storage(): Storage {
  return (holder.__lebenswegeStorage ??= createStorage(storageConfigFromEnv()));
}
