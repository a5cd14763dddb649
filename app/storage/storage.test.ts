// One contract, two stores: the same tests run against a local folder and a real s3rver on 127.0.0.1.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createStorage, newStorageKey, StorageNotFound, type Storage } from "./storage.server.ts";
import { PART_SIZE, versionIdsOf } from "./s3.server.ts";
import { startS3rver, type RunningS3rver } from "../../tests/recordings/s3rver.ts";

type Backend = { name: string; storage: Storage; leftovers(): string[]; stop(): Promise<void> };

async function localBackend(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "storage-"));
  return {
    name: "local disk",
    storage: createStorage({ kind: "local", dir }),
    leftovers: () => fs.readdirSync(dir),
    stop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function s3Backend(): Promise<Backend> {
  const s3: RunningS3rver = await startS3rver();
  return { name: "s3rver", storage: createStorage(s3.config), leftovers: s3.leftovers, stop: s3.stop };
}

const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Streams `data` in 64 KiB chunks; with failAfter, errors once that many bytes have gone out (a cut connection). */
function source(data: Buffer, failAfter?: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && offset >= failAfter) {
        this.destroy(new Error("connection reset by peer"));
        return;
      }
      if (offset >= data.length) return void this.push(null);
      const end = Math.min(offset + 65536, data.length);
      this.push(data.subarray(offset, end));
      offset = end;
    },
  });
}

const backends = [await localBackend(), await s3Backend()];
afterAll(() => Promise.all(backends.map((b) => b.stop())));

for (const backend of backends) {
  describe(`storage contract: ${backend.name}`, () => {
    const { storage } = backend;

    it(`stores a stream under a generated key and reads back any byte range (${backend.name})`, async () => {
      const data = crypto.randomBytes(2 * PART_SIZE + 12345); // several S3 parts
      const key = newStorageKey();
      const result = await storage.put(key, source(data), { contentType: "audio/mpeg" });
      expect(result).toEqual({ size: data.length, sha256: sha(data) });
      expect(await storage.stat(key)).toEqual({ size: data.length });
      expect(await storage.list()).toContain(key);
      expect(sha(await read(await storage.get(key)))).toBe(sha(data));
      const mid = Math.floor(data.length / 2);
      for (const [start, end] of [
        [0, 0],
        [0, 99],
        [mid - 50, mid + 50],
        [data.length - 100, data.length - 1],
        [data.length - 1, data.length - 1],
      ] as const) {
        const got = await read(await storage.get(key, { start, end }));
        expect(got.length, `${start}-${end}`).toBe(end - start + 1);
        expect(got.equals(data.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
      await storage.delete(key);
    });

    it(`leaves no file, object or part behind when the source fails midway (${backend.name})`, async () => {
      const before = backend.leftovers();
      const data = crypto.randomBytes(3 * PART_SIZE);
      const key = newStorageKey();
      await expect(storage.put(key, source(data, PART_SIZE + 3 * 65536))).rejects.toThrow(/connection reset/);
      expect(await storage.stat(key)).toBeNull();
      expect(await storage.list()).not.toContain(key);
      expect(backend.leftovers()).toEqual(before);
    });

    it(`fails the same way when the source dies before the first part is full (${backend.name})`, async () => {
      const before = backend.leftovers();
      const key = newStorageKey();
      await expect(storage.put(key, source(crypto.randomBytes(500_000), 200_000))).rejects.toThrow(/connection reset/);
      expect(await storage.stat(key)).toBeNull();
      expect(backend.leftovers()).toEqual(before);
    });

    it(`deletes idempotently, and a missing key reads as not found (${backend.name})`, async () => {
      const key = newStorageKey();
      await storage.put(key, source(Buffer.from("ID3 tiny")));
      await storage.delete(key);
      await storage.delete(key);
      expect(await storage.stat(key)).toBeNull();
      await expect(storage.get(key)).rejects.toBeInstanceOf(StorageNotFound);
      expect(await storage.list()).not.toContain(key);
    });

    it(`refuses keys that are not generated ids (${backend.name})`, async () => {
      for (const bad of ["../escape", "a/b", "interview.mp3", "", ".hidden-key-123", "$(touch x)"]) {
        await expect(storage.put(bad, source(Buffer.from("x"))), bad).rejects.toThrow(/invalid storage key/);
        await expect(storage.get(bad), bad).rejects.toThrow(/invalid storage key/);
        await expect(storage.delete(bad), bad).rejects.toThrow(/invalid storage key/);
      }
    });
  });
}

describe("erasure on a versioned S3 bucket", () => {
  // No S3 server with versioning runs here (s3rver has none): the listing's reading is checked on its own. Every
  // version and delete marker of exactly the key is deleted by id; keys that merely share its prefix are not.
  it("deletes every version and delete marker of exactly the key", () => {
    const page = {
      Versions: [
        { Key: "rec-1", VersionId: "v3" },
        { Key: "rec-1", VersionId: "v1" },
        { Key: "rec-10", VersionId: "other" },
      ],
      DeleteMarkers: [{ Key: "rec-1", VersionId: "m2" }, { Key: "rec-1" }],
    };
    expect(versionIdsOf("rec-1", page)).toEqual(["v3", "v1", "m2"]);
    expect(versionIdsOf("rec-2", page)).toEqual([]);
    expect(versionIdsOf("rec-1", {})).toEqual([]);
  });
});
