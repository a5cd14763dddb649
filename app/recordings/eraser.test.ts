// The storage eraser deletes exactly the files a withdrawal covers (recordings, scanned consent forms, or both for
// a whole withdrawal), on local disk and in s3rver, leaves rows to the database eraser, and can run again.
import fs from "node:fs";
import { Readable } from "node:stream";
import { db } from "../db/client.server.ts";
import { ensureReference, insertCase, municipalityId } from "../cases/test-support.ts";
import { createStorage, newStorageKey, type Storage } from "../storage/storage.server.ts";
import type { EraseContext, WithdrawalPart } from "../withdrawal/erasers.server.ts";
import { createStorageEraser, storageEraser } from "./eraser.server.ts";
import { startS3rver } from "../../tests/recordings/s3rver.ts";
import { tempDir } from "../../tests/recordings/media-files.ts";

await ensureReference();
const caseId = (await insertCase("LOE-2025-9001", await municipalityId("08336050"))).id;
const localDir = tempDir("eraser-");
const s3 = await startS3rver();
afterAll(() => s3.stop());
const stores: [string, Storage][] = [
  ["local disk", createStorage({ kind: "local", dir: localDir })],
  ["s3rver", createStorage(s3.config)],
];

let n = 0;
async function plant(store: Storage) {
  n += 1;
  const interview = await db.interview.create({
    data: { code: `INT-ERASE-${n}`, caseId, date: new Date(), placeType: "home", languages: '["de"]' },
    select: { id: true },
  });
  const put = async () => {
    const key = newStorageKey();
    await store.put(key, Readable.from([Buffer.from(`ID3 data of ${key}`)]));
    return key;
  };
  const recordingKeys = [await put(), await put()];
  const documentKeys = [await put()];
  for (const storageKey of recordingKeys) {
    await db.recording.create({ data: { interviewId: interview.id, storageKey, displayName: "a.mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: 10n, sha256: "0".repeat(64) } });
  }
  for (const storageKey of documentKeys) {
    await db.consentDocument.create({ data: { interviewId: interview.id, storageKey, displayName: "a.pdf", contentType: "application/pdf", sizeBytes: 10n, sha256: "0".repeat(64) } });
  }
  return { interviewId: interview.id, recordingKeys, documentKeys };
}

const ctxFor = (interviewId: string, parts: WithdrawalPart[]): EraseContext => ({ interviewId, caseId, parts: new Set(parts) });

it("is registered with order 20, before the database eraser", () => {
  expect(storageEraser).toMatchObject({ name: "storage", order: 20 });
});

for (const [label, store] of stores) {
  describe(label, () => {
    const eraser = createStorageEraser(() => store);

    it("a partial withdrawal of the audio deletes the recordings' files only, and keeps the rows for the database eraser", async () => {
      const planted = await plant(store);
      const ctx = ctxFor(planted.interviewId, ["recording"]);
      expect(await eraser.preview(ctx)).toEqual({ recordingFiles: 2, consentDocumentFiles: 0 });
      expect(await eraser.erase(ctx)).toEqual({ recordingFiles: 2, consentDocumentFiles: 0 });
      for (const key of planted.recordingKeys) expect(await store.stat(key)).toBeNull();
      for (const key of planted.documentKeys) expect(await store.stat(key)).not.toBeNull();
      expect(await db.recording.count({ where: { interviewId: planted.interviewId } })).toBe(2);
      // run again after a crash: harmless
      expect(await eraser.erase(ctx)).toEqual({ recordingFiles: 2, consentDocumentFiles: 0 });
    });

    it("a whole withdrawal deletes every file of the interview and nothing of other interviews", async () => {
      const planted = await plant(store);
      const other = await plant(store);
      const ctx = ctxFor(planted.interviewId, ["interview"]);
      expect(await eraser.erase(ctx)).toEqual({ recordingFiles: 2, consentDocumentFiles: 1 });
      const remaining = await store.list();
      for (const key of [...planted.recordingKeys, ...planted.documentKeys]) expect(remaining).not.toContain(key);
      for (const key of [...other.recordingKeys, ...other.documentKeys]) expect(remaining).toContain(key);
    });

    it("consent documents alone", async () => {
      const planted = await plant(store);
      expect(await eraser.erase(ctxFor(planted.interviewId, ["consent_documents"]))).toEqual({ recordingFiles: 0, consentDocumentFiles: 1 });
      expect(await store.stat(planted.documentKeys[0]!)).toBeNull();
      expect(await store.stat(planted.recordingKeys[0]!)).not.toBeNull();
    });
  });
}

it("leaves no trace of erased files in the local folder", async () => {
  const store = stores[0]![1];
  const planted = await plant(store);
  await createStorageEraser(() => store).erase(ctxFor(planted.interviewId, ["interview"]));
  const names = fs.readdirSync(localDir);
  for (const key of [...planted.recordingKeys, ...planted.documentKeys]) expect(names.some((f) => f.includes(key))).toBe(false);
});
