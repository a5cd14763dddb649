// Waveform peaks: ffmpeg decodes the fixture recording into a small, scaled list; the route asks for the same
// permission and consent as playing the recording.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { computePeaks, recordingPeaks, reducePeaks } from "./peaks.server.ts";
import { ctx, ensureReference, getRequest, insertCase, municipalityId, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import * as peaksRoute from "../routes/recordings.$recordingId.peaks.tsx";

const MP3 = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews", "int-01.mp3");
const source = { input: `file:${MP3}`, protocols: "file" };

describe("peaks", () => {
  it("of the fixture recording: its length, at most 4000 values scaled to 0..100, silence before the first word", async () => {
    const peaks = await computePeaks(source);
    expect(Math.abs(peaks.durationMs - 405_528)).toBeLessThan(1000);
    expect(peaks.peaks.length).toBeLessThanOrEqual(4000);
    expect(peaks.peaks.length * peaks.bucketMs).toBeGreaterThanOrEqual(peaks.durationMs);
    expect(Math.max(...peaks.peaks)).toBe(100);
    expect(Math.min(...peaks.peaks)).toBeGreaterThanOrEqual(0);
    // Each turn starts with 0.3 s of silence.
    expect(peaks.peaks[0]).toBeLessThan(5);
  });

  it("are computed once per recording content", async () => {
    let calls = 0;
    const load = async () => {
      calls++;
      return source;
    };
    const [a, b] = await Promise.all([recordingPeaks("r1:abc", load), recordingPeaks("r1:abc", load)]);
    expect(a).toBe(b);
    await recordingPeaks("r1:abc", load);
    expect(calls).toBe(1);
  });

  it("fails for a file that is not audio", async () => {
    await expect(computePeaks({ input: `file:${path.resolve(import.meta.dirname, "peaks.test.ts")}`, protocols: "file" })).rejects.toThrow(/ffmpeg exited/);
  });

  it("keep the loudest value when buckets are joined", () => {
    const buckets = Array.from({ length: 9000 }, (_, i) => (i === 4500 ? 2000 : 1000));
    const reduced = reducePeaks(buckets, 50, 450_000);
    expect(reduced.peaks.length).toBe(3000);
    expect(reduced.bucketMs).toBe(150);
    expect(reduced.peaks[1500]).toBe(100);
    expect(reduced.peaks[0]).toBe(50);
  });
});

describe("peaks route", () => {
  let researcher: TestUser;
  let im: TestUser;
  let recordingId: string;

  beforeAll(async () => {
    await ensureReference();
    const loerrach = await municipalityId("08336050");
    researcher = await signedInUser("forschung.peaks", ["researcher"]);
    im = await signedInUser("im.peaks", ["integration_manager"], [loerrach]);
    const caseId = (await insertCase("LOE-2016-0002", loerrach)).id;
    const interview = await db.interview.create({ data: { code: "INT-2025-0601", caseId, date: new Date("2025-03-11T00:00:00Z"), placeType: "office", languages: '["de"]' }, select: { id: true } });
    await db.consentRecord.create({
      data: { interviewId: interview.id, version: 1, givenBy: "person", givenAt: new Date("2025-03-11T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "1", scopeRecording: false, scopeTranscription: true },
    });
    recordingId = (
      await db.recording.create({
        data: { interviewId: interview.id, storageKey: "0b6c1a3e-0000-4000-8000-000000000001", displayName: "a.mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: 1n, sha256: "x" },
        select: { id: true },
      })
    ).id;
  });

  const load = (who: TestUser, id: string) => peaksRoute.loader({ request: getRequest(`/recordings/${id}/peaks`, who), params: { recordingId: id }, ...ctx });

  it("refuses without the recording scope, for roles without read:recording, and for unknown ids", async () => {
    expect(await statusOf(() => load(researcher, recordingId))).toBe(403);
    expect(await statusOf(() => load(im, recordingId))).toBe(403);
    expect(await statusOf(() => load(researcher, "does-not-exist"))).toBe(404);
  });
});
