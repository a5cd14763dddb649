// Local disk storage: one flat folder (STORAGE_DIR), file names are the keys. A file is written under a temporary
// name in the same folder (same file system, so rename is atomic) and renamed when complete: a half-written
// file never carries a key, and on any failure the temporary file is removed.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { HashingCounter, StorageNotFound, assertKey, type PutResult } from "./primitives.server.ts";
import type { ByteRange, ProbeSource, Storage } from "./storage.server.ts";

/** Temporary files start with a dot, so they can never be mistaken for a key. */
export const TEMP_PREFIX = ".upload-";
const SYNC_EVERY = 32 * 1024 * 1024;

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === "ENOENT";

export function createLocalStorage(folder: string): Storage {
  const dir = path.resolve(folder);
  // Every time (one cheap syscall): the folder may have been removed or remounted since the last upload.
  const ensureDir = () => fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const fileOf = (key: string) => {
    assertKey(key);
    return path.join(dir, key);
  };

  return {
    kind: "local",

    async put(key: string, body: Readable): Promise<PutResult> {
      const final = fileOf(key);
      await ensureDir();
      const temp = path.join(dir, `${TEMP_PREFIX}${key}-${crypto.randomBytes(6).toString("hex")}`);
      const counter = new HashingCounter();
      try {
        const handle = await fs.open(temp, "wx", 0o600);
        // flush: fsync before close, so the rename below never publishes data that is still only in memory;
        // syncing in the background on the way keeps that last fsync short.
        await pipeline(body, counter, syncEvery(handle, SYNC_EVERY), handle.createWriteStream({ flush: true, highWaterMark: 1024 * 1024 }));
        await fs.rename(temp, final);
        await syncDir(dir);
        return counter.result();
      } catch (error) {
        body.destroy();
        await fs.rm(temp, { force: true });
        throw error;
      }
    },

    async get(key: string, range?: ByteRange, options: { signal?: AbortSignal } = {}): Promise<Readable> {
      const handle = await fs.open(fileOf(key), "r").catch((e: unknown) => {
        throw isMissing(e) ? new StorageNotFound(key) : e;
      });
      const stream = handle.createReadStream({ start: range?.start, end: range?.end, highWaterMark: 256 * 1024 });
      options.signal?.addEventListener("abort", () => stream.destroy(), { once: true });
      return stream;
    },

    async stat(key: string) {
      try {
        const s = await fs.stat(fileOf(key));
        return { size: s.size };
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },

    async delete(key: string) {
      await fs.rm(fileOf(key), { force: true });
    },

    async list() {
      try {
        const names = await fs.readdir(dir);
        return names.filter((n) => !n.startsWith(".")).sort();
      } catch (e) {
        if (isMissing(e)) return [];
        throw e;
      }
    },

    async probeSource(key: string): Promise<ProbeSource> {
      return { input: `file:${fileOf(key)}`, protocols: "file" };
    },
  };
}

/** Makes the rename itself durable (the directory entry), not only the file's content. */
async function syncDir(dir: string) {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is already synced.
  } finally {
    await handle.close();
  }
}

/**
 * Passes data through and starts an fdatasync of what is written so far every `every` bytes (one at a time, not
 * awaited), so the disk writes while the upload is still arriving instead of all at the final fsync.
 */
function syncEvery(handle: fs.FileHandle, every: number): Transform {
  let since = 0;
  let running: Promise<void> | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      since += chunk.length;
      if (since >= every && !running) {
        since = 0;
        // errors show up again at the final fsync, which is awaited
        running = handle
          .datasync()
          .catch(() => undefined)
          .finally(() => (running = null));
      }
      callback(null, chunk);
    },
    flush(callback) {
      void (running ?? Promise.resolve()).then(() => callback());
    },
  });
}
