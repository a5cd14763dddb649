// A 1 GB recording (a valid WAV header and 1 GiB of PCM, generated as it is sent) streamed through the real HTTP
// server into local storage: the server's memory stays flat, the stored file and its sha256 are exact, and
// Range playback reads its end without reading the rest.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import { startAppServer } from "../support/app-server.ts";
import { generatedWav, rawPost, tempDir } from "./media-files.ts";
import { childPid, measurePeakGrowth } from "./server-process.ts";

const GIB = 1024 ** 3;
const CHUNK = 1024 * 1024; // generatedWav repeats one 1 MiB tone chunk
const storageDir = tempDir("storage-1gb-");
const server = await startAppServer({ seed: { cases: 5 }, env: { STORAGE: "local", STORAGE_DIR: storageDir } });
afterAll(async () => {
  await server.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

const researcher = await server.loginAs("forschung");
const caseId = (await server.db.case.findFirstOrThrow({ select: { id: true } })).id;

it("streams 1 GB into storage with the server's memory growing by less than 100 MB", { timeout: 600_000 }, async () => {
  const interview = await server.db.interview.create({
    data: { code: "INT-1GB-0001", caseId, date: new Date("2025-06-01"), placeType: "office", languages: '["de"]' },
    select: { id: true },
  });
  await server.db.consentRecord.create({
    data: { interviewId: interview.id, version: 1, givenBy: "person", givenAt: new Date(), form: "written", language: "de", infoSheetVersion: "1", scopeRecording: true },
  });

  const hash = crypto.createHash("sha256");
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const pid = childPid("app-server-child.js");
  const peakGrowth = measurePeakGrowth(pid);
  const res = await rawPost(
    `${server.origin}/interviews/${interview.id}/recordings`,
    { cookie: `lw_session=${researcher.cookies.get("lw_session")}`, "x-csrf-token": await researcher.csrfToken(), "x-file-name": encodeURIComponent("Langes Interview.wav") },
    generatedWav(GIB).pipe(tap),
    { contentLength: GIB + 44 },
  );
  const growth = peakGrowth();
  expect(res?.status, res?.body).toBe(201);
  expect(growth, `peak RSS growth ${(growth / 1e6).toFixed(1)} MB`).toBeLessThan(100 * 1e6);

  const recording = res!.json!.recording as { id: string; sizeBytes: number; sha256: string; durationMs: number; contentType: string };
  expect(recording).toMatchObject({ sizeBytes: GIB + 44, sha256: hash.digest("hex"), contentType: "audio/wav", durationMs: Math.round((GIB / 32000) * 1000) });
  const row = await server.db.recording.findUniqueOrThrow({ where: { id: recording.id }, select: { storageKey: true } });
  expect(fs.statSync(path.join(storageDir, row.storageKey)).size).toBe(GIB + 44);
  expect(fs.readdirSync(storageDir)).toEqual([row.storageKey]);

  // the last bytes, played through a Range request
  const last = await researcher.get(`/recordings/${recording.id}/media`, { range: "bytes=-100" });
  expect(last.status).toBe(206);
  expect(last.headers.get("content-range")).toBe(`bytes ${GIB + 44 - 100}-${GIB + 43}/${GIB + 44}`);
  const tone = Buffer.alloc(CHUNK);
  for await (const c of generatedWav(CHUNK, CHUNK)) if ((c as Buffer).length === CHUNK) (c as Buffer).copy(tone);
  expect(Buffer.from(await last.arrayBuffer()).equals(tone.subarray(CHUNK - 100))).toBe(true);
});
