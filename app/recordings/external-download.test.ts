// A recording handed to an external transcription service leaves the platform: the download exists only with
// consent to external transcription (and to the recording), is audited, and the local whisper path does not need it.
import "../withdrawal/test-storage-env.ts";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { newStorageKey, storage } from "../storage/storage.server.ts";
import { ctx, ensureReference, getRequest, insertCase, jsonOf, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import * as downloadRoute from "../routes/recordings.$recordingId.external-transcription.tsx";
import * as overviewPage from "../routes/interviews.$interviewId._index.tsx";
import * as transcriptionPage from "../routes/interviews.$interviewId.transcription.tsx";

const BYTES = Buffer.from("ID3 eine kleine Aufnahme für den Test");
let researcher: TestUser;
let im: TestUser;
let caseId: string;
let n = 0;

async function interviewWithRecording(scopes: { externalTranscription: boolean; recording?: boolean }) {
  n += 1;
  const interview = await db.interview.create({ data: { code: `INT-2025-08${String(n).padStart(2, "0")}`, caseId, date: new Date("2025-04-01T00:00:00Z"), placeType: "office", languages: '["de"]', status: "recorded" }, select: { id: true } });
  await db.consentRecord.create({
    data: {
      interviewId: interview.id,
      version: 1,
      givenBy: "person",
      givenAt: new Date("2025-04-01T00:00:00Z"),
      form: "written",
      language: "de",
      infoSheetVersion: "1.0",
      scopeRecording: scopes.recording ?? true,
      scopeTranscription: true,
      scopeExternalTranscription: scopes.externalTranscription,
    },
  });
  const storageKey = newStorageKey();
  await storage().put(storageKey, Readable.from([BYTES]));
  const recording = await db.recording.create({
    data: { interviewId: interview.id, storageKey, displayName: "Gespräch Frau A.mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: BigInt(BYTES.length), sha256: "0".repeat(64) },
    select: { id: true },
  });
  return { interviewId: interview.id, recordingId: recording.id };
}

const download = (recordingId: string, who = researcher) => downloadRoute.loader({ request: getRequest(`/recordings/${recordingId}/external-transcription`, who), params: { recordingId }, ...ctx }) as Promise<Response>;
const overview = (interviewId: string) => jsonOf(() => overviewPage.loader({ request: getRequest(`/interviews/${interviewId}`, researcher), params: { interviewId }, ...ctx }) as Promise<Response>);
const downloads = (recordingId: string) => db.auditLog.count({ where: { action: "recording.download-external", entityId: recordingId } });

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  researcher = await signedInUser("forschung.extern", ["researcher"]);
  im = await signedInUser("im.extern", ["integration_manager"], [loerrach]);
  caseId = (await insertCase("LOE-2017-0042", loerrach)).id;
});

describe("download for external transcription", () => {
  it("is refused without consent to external transcription, naming the scope; the page says so and offers no link", async () => {
    const { interviewId, recordingId } = await interviewWithRecording({ externalTranscription: false });
    const refused = (await download(recordingId).catch((e: unknown) => e)) as Response;
    expect(refused.status).toBe(403);
    // As text in the reader's language (a link the browser opens): the scope by its name.
    expect(await refused.text()).toBe("Dafür fehlt die Einwilligung der Person: Externe Transkription.");
    expect(await downloads(recordingId)).toBe(0);
    expect(await overview(interviewId)).toMatchObject({ canDownloadExternal: false, externalRefused: true });

    // Transcription here (whisper) needs no external consent.
    const started = (await transcriptionPage.action({ request: postRequest(`/interviews/${interviewId}/transcription`, researcher, { intent: "start", recordingId, language: "de" }), params: { interviewId }, ...ctx })) as Response;
    expect((await started.json()).done).toBe("transcription:start.started");
  });

  it("with the consent sends the whole file as an attachment and audits it", async () => {
    const { interviewId, recordingId } = await interviewWithRecording({ externalTranscription: true });
    expect(await overview(interviewId)).toMatchObject({ canDownloadExternal: true, externalRefused: false });
    const res = await download(recordingId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Gesprach Frau A.mp3"/);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BYTES);
    const log = await db.auditLog.findFirstOrThrow({ where: { action: "recording.download-external", entityId: recordingId }, select: { userId: true, detail: true } });
    expect(log.userId).toBe(researcher.user.id);
    expect(JSON.parse(log.detail!)).toEqual({ interviewId, scope: "externalTranscription" });
  });

  it("needs the recording scope too, and is not for integration managers", async () => {
    const { recordingId } = await interviewWithRecording({ externalTranscription: true, recording: false });
    const refused = (await download(recordingId).catch((e: unknown) => e)) as Response;
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe("Dafür fehlt die Einwilligung der Person: Aufnahme (Audio/Video).");
    expect(await statusOf(() => download(recordingId, im))).toBe(403);
    expect(await downloads(recordingId)).toBe(0);
  });
});
