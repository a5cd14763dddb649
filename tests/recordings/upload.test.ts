// Recording upload and playback through the real HTTP server, as the browser's XHR and <audio> use them: real
// audio (espeak-ng + ffmpeg), files that only pretend to be audio, cut connections, permission and consent
// refusals, and Range playback. Local disk and a real s3rver on 127.0.0.1.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startAppServer, type AppServer, type HttpClient } from "../support/app-server.ts";
import { startS3rver, type RunningS3rver } from "./s3rver.ts";
import { TEMP_PREFIX } from "../../app/storage/local.server.ts";
import { createI18n } from "../../app/i18n/config.ts";
import { durationSeconds, eventually, generatedWav, rawPost, speech, tempDir, video, type RawAnswer } from "./media-files.ts";

const MAX_BYTES = 60 * 1024 * 1024;
const media = tempDir("media-");
const storageDir = tempDir("storage-");
const s3: RunningS3rver = await startS3rver();
const local = await startAppServer({ env: { STORAGE: "local", STORAGE_DIR: storageDir, UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
// Same database, objects in s3rver.
const remote = await startAppServer({ seed: false, env: { ...s3.env, UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
afterAll(async () => {
  await Promise.all([local.stop(), remote.stop()]);
  await s3.stop();
});

const db = local.db;
const researcher = await local.loginAs("forschung");
const researcherRemote = await remote.loginAs("forschung");
const caseId = (await db.case.findFirstOrThrow({ select: { id: true } })).id;
const researcherId = (await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } })).id;

const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
let counter = 0;

/** An interview with its current consent: the given scopes ticked, or none recorded at all. */
async function interview(scopes: { recording: boolean } | "no-consent" = { recording: true }): Promise<string> {
  counter += 1;
  const row = await db.interview.create({
    data: { code: `INT-TEST-${process.pid}-${counter}`, caseId, date: new Date("2025-05-01"), placeType: "office", languages: JSON.stringify(["de"]), interviewerId: researcherId },
    select: { id: true },
  });
  if (scopes !== "no-consent") {
    await db.consentRecord.create({
      data: { interviewId: row.id, version: 1, givenBy: "person", givenAt: new Date("2025-05-01"), form: "written", language: "de", infoSheetVersion: "2025-1", scopeRecording: scopes.recording, scopeTranscription: true },
    });
  }
  return row.id;
}

type Upload = { client: HttpClient; server: AppServer; interviewId: string; body: Buffer; name: string; headers?: Record<string, string>; kind?: "recordings" | "consent-documents" };

async function upload({ client, server, interviewId, body, name, headers = {}, kind = "recordings" }: Upload): Promise<RawAnswer> {
  const res = await rawPost(`${server.origin}/interviews/${interviewId}/${kind}${headers["x-query"] ?? ""}`, {
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    origin: server.origin,
    "content-type": "application/octet-stream",
    "x-csrf-token": await client.csrfToken(),
    "x-file-name": encodeURIComponent(name),
    ...Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "x-query")),
  }, body);
  return res!;
}

const storedFiles = () => fs.readdirSync(storageDir);
const recordingRows = (interviewId: string) => db.recording.count({ where: { interviewId } });

async function expectNothingStored(interviewId: string, filesBefore: string[], rows = 0) {
  expect(await recordingRows(interviewId)).toBe(rows);
  expect(storedFiles()).toEqual(filesBefore);
}

const mp3 = speech(media, "Guten Tag. Ich bin vor drei Jahren nach Lörrach gekommen. Zuerst habe ich in Weil am Rhein gewohnt.", "mp3");
const mp3Bytes = fs.readFileSync(mp3);

describe("recording upload (local disk)", () => {
  it("stores a real recording under a generated key with its sha256, duration and sniffed type, and audits it", async () => {
    const interviewId = await interview();
    const res = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "Interview Frau A. (1).mp3" });
    expect(res.status, res.body).toBe(201);
    const recording = res.json!.recording as Record<string, unknown>;
    expect(recording).toMatchObject({ displayName: "Interview Frau A. (1).mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: mp3Bytes.length, sha256: sha(mp3Bytes) });
    expect(Math.abs((recording.durationMs as number) - durationSeconds(mp3) * 1000)).toBeLessThan(100);
    const row = await db.recording.findUniqueOrThrow({ where: { id: recording.id as string } });
    expect(row.storageKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(fs.readFileSync(path.join(storageDir, row.storageKey)).equals(mp3Bytes)).toBe(true);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "recording.upload", entityId: row.id } });
    expect(entry.username).toBe("forschung");
    expect(entry.detail).not.toContain("Frau");
  });

  it("accepts M4A, Ogg Vorbis, WebM/Opus and WAV speech, and a video with sound as video", async () => {
    const interviewId = await interview();
    const cases: [string, string, string][] = [
      [speech(media, "Ein kurzer Test.", "m4a"), "audio/mp4", "audio"],
      [speech(media, "Ein kurzer Test.", "ogg"), "audio/ogg", "audio"],
      [speech(media, "Ein kurzer Test.", "webm"), "audio/webm", "audio"],
      [speech(media, "Ein kurzer Test.", "wav"), "audio/wav", "audio"],
      [video(media, true), "video/mp4", "video"],
    ];
    for (const [file, contentType, mediaType] of cases) {
      const res = await upload({ client: researcher, server: local, interviewId, body: fs.readFileSync(file), name: path.basename(file) });
      expect(res.status, `${file}: ${res.body}`).toBe(201);
      expect(res.json!.recording, file).toMatchObject({ contentType, mediaType });
    }
  });

  it("refuses a text file renamed .mp3 by its content, and stores nothing", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const text = Buffer.from("Das ist keine Aufnahme, sondern eine Textdatei mit der Endung mp3.\n".repeat(200));
    const res = await upload({ client: researcher, server: local, interviewId, body: text, name: "aufnahme.mp3", headers: { "content-type": "audio/mpeg" } });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ error: "not-media" });
    await expectNothingStored(interviewId, before);
  });

  it("refuses a file that only starts like audio when ffprobe cannot read it, and deletes what was stored", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const res = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes.subarray(0, 100), name: "kaputt.mp3" });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ error: "corrupt" });
    await expectNothingStored(interviewId, before);
  });

  it("accepts a truncated MP3 that ffprobe can read, with the duration actually present (not the header's)", async () => {
    const interviewId = await interview();
    const half = mp3Bytes.subarray(0, Math.floor(mp3Bytes.length / 2));
    const res = await upload({ client: researcher, server: local, interviewId, body: half, name: "abgebrochen.mp3" });
    expect(res.status, res.body).toBe(201);
    const full = durationSeconds(mp3) * 1000;
    const got = (res.json!.recording as { durationMs: number }).durationMs;
    expect(got).toBeGreaterThan(full * 0.4);
    expect(got).toBeLessThan(full * 0.6);
  });

  it("refuses a video without a sound track", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const res = await upload({ client: researcher, server: local, interviewId, body: fs.readFileSync(video(media, false)), name: "stumm.mp4" });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ error: "no-audio" });
    await expectNothingStored(interviewId, before);
  });

  it("moves a planned interview to 'recorded', and refuses the same file a second time, naming the first", async () => {
    const interviewId = await interview();
    await db.interview.update({ where: { id: interviewId }, data: { status: "planned" } });
    const first = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "gespraech.mp3" });
    expect(first.status).toBe(201);
    expect((await db.interview.findUniqueOrThrow({ where: { id: interviewId } })).status).toBe("recorded");
    const before = storedFiles();
    const again = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "nochmal.mp3" });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "duplicate", name: "gespraech.mp3" });
    await expectNothingStored(interviewId, before, 1);
  });

  it("refuses a zero-byte file", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const res = await upload({ client: researcher, server: local, interviewId, body: Buffer.alloc(0), name: "leer.mp3" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "empty" });
    await expectNothingStored(interviewId, before);
  });

  it("refuses files over the limit with 413, by Content-Length at once or while streaming, keeping nothing", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const declared = await rawPost(
      `${local.origin}/interviews/${interviewId}/recordings`,
      { cookie: `lw_session=${researcher.cookies.get("lw_session")}`, "x-csrf-token": await researcher.csrfToken(), "x-file-name": "gross.wav" },
      generatedWav(MAX_BYTES + 1024),
      { contentLength: MAX_BYTES + 1024 + 44 },
    );
    expect(declared?.status).toBe(413);
    expect(declared?.json).toEqual({ error: "too-large", maxBytes: MAX_BYTES });
    expect(declared?.headers.connection).toBe("close");
    // chunked: no length announced, the limit is found while counting
    const streamed = await rawPost(
      `${local.origin}/interviews/${interviewId}/recordings`,
      { cookie: `lw_session=${researcher.cookies.get("lw_session")}`, "x-csrf-token": await researcher.csrfToken(), "x-file-name": "gross.wav" },
      generatedWav(MAX_BYTES + 1024),
      { contentLength: null },
    );
    expect(streamed?.status).toBe(413);
    expect(await eventually(async () => (await recordingRows(interviewId)) === 0 && storedFiles().length === before.length)).toBe(true);
    await expectNothingStored(interviewId, before);
  });

  it("delivers the refusal to a client that reads it only after sending more (the server drains before it closes)", async () => {
    // As a slow browser does: it keeps uploading and looks at the answer later. Closed at once, the server's kernel
    // answers the bytes still coming with a reset and the client's unread "413" is lost (app/http/linger.js).
    const interviewId = await interview();
    const before = storedFiles();
    const socket = net.connect(Number(new URL(local.origin).port), "127.0.0.1");
    socket.pause(); // the answer waits unread in the kernel while the client writes on
    let writeError: string | null = null;
    socket.on("error", (e: NodeJS.ErrnoException) => (writeError = e.code ?? e.message));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await new Promise((resolve) => socket.once("connect", resolve));
    const head = [
      `POST /interviews/${interviewId}/recordings HTTP/1.1`,
      `Host: ${new URL(local.origin).host}`,
      `Cookie: lw_session=${researcher.cookies.get("lw_session")}`,
      `X-CSRF-Token: ${await researcher.csrfToken()}`,
      "X-File-Name: gross.wav",
      "Content-Type: application/octet-stream",
      `Content-Length: ${MAX_BYTES * 4}`,
    ];
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 16 && !writeError; i++) {
      socket.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const errorWhileSending = writeError; // the server closes after its lingering time; a reset then is expected
    let answer = "";
    socket.on("data", (d: Buffer) => (answer += d.toString("latin1")));
    socket.resume();
    await closed;
    expect(errorWhileSending).toBeNull();
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect(answer).toContain('"error":"too-large"');
    await expectNothingStored(interviewId, before);
  });

  it("keeps any user file name as display text only: the key is an id, no shell, no path", async () => {
    const names = ['../../etc/passwd.mp3', 'Frau "B" sagt \'nein\'.mp3', "$(touch pwned) `id`; rm -rf x.mp3", "Gespräch_مقابلة_інтерв'ю_面谈 🎙.mp3"];
    for (const name of names) {
      const interviewId = await interview(); // one each: the same file twice in one interview is refused
      const res = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name });
      expect(res.status, `${name}: ${res.body}`).toBe(201);
      const row = await db.recording.findUniqueOrThrow({ where: { id: (res.json!.recording as { id: string }).id } });
      expect(row.displayName).toBe(name.normalize("NFC"));
      expect(row.storageKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    for (const file of storedFiles()) expect(file).toMatch(/^[0-9a-f-]{36}$/);
    expect(fs.existsSync(path.join(process.cwd(), "pwned"))).toBe(false);
    expect(fs.existsSync(path.join(storageDir, "pwned"))).toBe(false);
    expect(fs.existsSync(path.join(path.dirname(storageDir), "etc"))).toBe(false);
  });

  it("leaves no temporary file and no row when the connection is cut halfway", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const dataBytes = 40 * 1024 * 1024;
    const res = await rawPost(
      `${local.origin}/interviews/${interviewId}/recordings`,
      { cookie: `lw_session=${researcher.cookies.get("lw_session")}`, "x-csrf-token": await researcher.csrfToken(), "x-file-name": "abbruch.wav" },
      generatedWav(dataBytes),
      {
        contentLength: dataBytes + 44,
        // cut only once the server is writing: its temporary file exists
        cut: { after: dataBytes / 2, before: async () => void (await eventually(() => storedFiles().some((f) => f.startsWith(TEMP_PREFIX)))) },
      },
    );
    expect(res).toBeNull();
    expect(await eventually(() => !storedFiles().some((f) => f.startsWith(TEMP_PREFIX)))).toBe(true);
    await expectNothingStored(interviewId, before);
    // the server is fine afterwards
    const next = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "danach.mp3" });
    expect(next.status).toBe(201);
  });

  it("refuses users without write:recording (403) and anonymous users (login), storing nothing", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    for (const username of ["im.loerrach", "beauftragte"]) {
      const client = await local.loginAs(username);
      const res = await upload({ client, server: local, interviewId, body: mp3Bytes, name: "x.mp3" });
      expect(res.status, username).toBe(403);
    }
    const anonymous = await rawPost(`${local.origin}/interviews/${interviewId}/recordings`, { "x-file-name": "x.mp3" }, mp3Bytes);
    expect(anonymous?.status).toBe(302);
    expect(anonymous?.headers.location).toMatch(/^\/login/);
    await expectNothingStored(interviewId, before);
  });

  it("refuses an upload without the session's CSRF token", async () => {
    const interviewId = await interview();
    const before = storedFiles();
    const res = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "x.mp3", headers: { "x-csrf-token": "forged" } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: "csrf" });
    await expectNothingStored(interviewId, before);
  });

  it("refuses an interview without the recording scope, naming the scope", async () => {
    const before = storedFiles();
    const withoutScope = await interview({ recording: false });
    const res = await upload({ client: researcher, server: local, interviewId: withoutScope, body: mp3Bytes, name: "x.mp3" });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: "consent-missing", scope: "recording", reason: "scope-missing" });
    const noConsent = await interview("no-consent");
    const res2 = await upload({ client: researcher, server: local, interviewId: noConsent, body: mp3Bytes, name: "x.mp3" });
    expect(res2.status).toBe(403);
    expect(res2.json).toMatchObject({ error: "consent-missing", scope: "recording", reason: "no-consent" });
    await expectNothingStored(withoutScope, before);
    await expectNothingStored(noConsent, before);
  });

  it("answers 404 for an unknown interview, and GET on the upload URL leads back to the interview", async () => {
    const res = await upload({ client: researcher, server: local, interviewId: "no-such-interview", body: mp3Bytes, name: "x.mp3" });
    expect(res.status).toBe(404);
    const get = await researcher.get("/interviews/abc/recordings");
    expect(get.status).toBe(302);
    expect(get.headers.get("location")).toBe("/interviews/abc");
  });
});

describe("Range playback", () => {
  const fixture = fs.readFileSync(path.resolve(import.meta.dirname, "../../../shared/fixtures/interviews/int-01.mp3"));
  let url = "";
  let interviewId = "";
  let recordingId = "";
  const size = fixture.length;
  const playCount = () => db.auditLog.count({ where: { action: "recording.play", entityId: recordingId } });

  beforeAll(async () => {
    interviewId = await interview();
    const res = await upload({ client: researcher, server: local, interviewId, body: fixture, name: "int-01.mp3" });
    expect(res.status, res.body).toBe(201);
    recordingId = (res.json!.recording as { id: string }).id;
    url = `/recordings/${recordingId}/media`;
  });

  async function bytes(res: Response) {
    return Buffer.from(await res.arrayBuffer());
  }

  it("serves the whole file without Range (200), with type, length and no caching", async () => {
    const res = await researcher.get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("content-length")).toBe(String(size));
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect((await bytes(res)).equals(fixture)).toBe(true);
  });

  it("serves first, middle and last bytes (206 with Content-Range) equal to the file's", async () => {
    const mid = Math.floor(size / 2);
    const cases: [string, number, number][] = [
      ["bytes=0-0", 0, 0],
      ["bytes=0-1023", 0, 1023],
      [`bytes=${mid}-${mid + 4095}`, mid, mid + 4095],
      [`bytes=${size - 100}-`, size - 100, size - 1],
      ["bytes=-100", size - 100, size - 1],
      [`bytes=${size - 10}-${size + 5000}`, size - 10, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await researcher.get(url, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("content-range"), range).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get("content-length"), range).toBe(String(end - start + 1));
      expect((await bytes(res)).equals(fixture.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it("answers invalid and unsatisfiable ranges with 416 and the size", async () => {
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, "bytes=500-100", "bytes=abc", "bytes=-0", "bytes=", "bytes=1-2-3", "bytes"]) {
      const res = await researcher.get(url, { range });
      await res.body?.cancel();
      expect(res.status, range).toBe(416);
      expect(res.headers.get("content-range"), range).toBe(`bytes */${size}`);
    }
  });

  it("answers HEAD with the headers only, and is not counted as a play", async () => {
    const before = await playCount();
    const res = await researcher.fetch(url, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(size));
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(await res.text()).toBe("");
    expect(await playCount()).toBe(before);
  });

  it("audits a play once (start at byte 0), not every seek", async () => {
    const before = await playCount();
    await (await researcher.get(url, { range: "bytes=0-" })).body?.cancel();
    for (const start of [10_000, 200_000, 1_000_000]) await (await researcher.get(url, { range: `bytes=${start}-` })).body?.cancel();
    expect(await playCount()).toBe(before + 1);
  });

  it("checks permission and consent on every request", async () => {
    const im = await local.loginAs("im.loerrach");
    expect((await im.get(url, { range: "bytes=0-1" })).status).toBe(403);
    expect((await local.client().get(url)).status).toBe(302);
    expect((await researcher.get("/recordings/no-such-recording/media")).status).toBe(404);
    // consent changes: a new version without the recording scope stops playback at the next request
    await db.consentRecord.updateMany({ where: { interviewId }, data: { current: false } });
    const v2 = await db.consentRecord.create({
      data: { interviewId, version: 2, givenBy: "person", givenAt: new Date(), form: "written", language: "de", infoSheetVersion: "2025-1", scopeRecording: false },
    });
    const refused = await researcher.get(url, { range: "bytes=1000-" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "consent-missing", scope: "recording" });
    await db.consentRecord.delete({ where: { id: v2.id } });
    await db.consentRecord.updateMany({ where: { interviewId, version: 1 }, data: { current: true } });
    expect((await researcher.get(url, { range: "bytes=0-1" })).status).toBe(206);
  });
});

describe("recording upload and playback on S3 (s3rver)", () => {
  it("stores through a multipart upload, plays ranges, and leaves only the object", async () => {
    const interviewId = await interview();
    // a WAV larger than one 8 MiB part
    const dataBytes = 20 * 1024 * 1024;
    const chunks: Buffer[] = [];
    for await (const c of generatedWav(dataBytes)) chunks.push(c as Buffer);
    const wav = Buffer.concat(chunks);
    const res = await upload({ client: researcherRemote, server: remote, interviewId, body: wav, name: "lang.wav" });
    expect(res.status, res.body).toBe(201);
    const recording = res.json!.recording as { id: string; sha256: string; contentType: string; durationMs: number };
    expect(recording).toMatchObject({ sha256: sha(wav), contentType: "audio/wav", durationMs: Math.round((dataBytes / 32000) * 1000) });
    const row = await db.recording.findUniqueOrThrow({ where: { id: recording.id }, select: { storageKey: true } });
    expect(s3.leftovers().filter((f) => !f.includes(row.storageKey))).toEqual([]);
    const url = `/recordings/${recording.id}/media`;
    for (const [range, start, end] of [
      ["bytes=0-0", 0, 0],
      [`bytes=${dataBytes / 2}-${dataBytes / 2 + 999}`, dataBytes / 2, dataBytes / 2 + 999],
      ["bytes=-64", wav.length - 64, wav.length - 1],
    ] as const) {
      const r = await researcherRemote.get(url, { range });
      expect(r.status, range).toBe(206);
      expect(r.headers.get("content-range")).toBe(`bytes ${start}-${end}/${wav.length}`);
      expect(Buffer.from(await r.arrayBuffer()).equals(wav.subarray(start, end + 1)), range).toBe(true);
    }
    const bad = await researcherRemote.get(url, { range: `bytes=${wav.length}-` });
    expect(bad.status).toBe(416);
  });

  it("leaves no object and no multipart parts in s3rver, and no row, when the connection is cut halfway", async () => {
    const interviewId = await interview();
    const before = s3.leftovers();
    const dataBytes = 40 * 1024 * 1024;
    const res = await rawPost(
      `${remote.origin}/interviews/${interviewId}/recordings`,
      { cookie: `lw_session=${researcherRemote.cookies.get("lw_session")}`, "x-csrf-token": await researcherRemote.csrfToken(), "x-file-name": "abbruch.wav" },
      generatedWav(dataBytes),
      {
        contentLength: dataBytes + 44,
        // cut only once parts have reached s3rver
        cut: { after: dataBytes / 2, before: async () => void (await eventually(() => s3.leftovers().some((f) => f.includes("_S3rver_uploads")))) },
      },
    );
    expect(res).toBeNull();
    expect(await eventually(() => s3.leftovers().length === before.length)).toBe(true);
    expect(s3.leftovers()).toEqual(before);
    expect(await recordingRows(interviewId)).toBe(0);
  });

  it("refuses a renamed text file before storing anything", async () => {
    const interviewId = await interview();
    const before = s3.leftovers();
    const res = await upload({ client: researcherRemote, server: remote, interviewId, body: Buffer.from("kein Ton\n".repeat(1000)), name: "ton.mp3" });
    expect(res.status).toBe(415);
    expect(s3.leftovers()).toEqual(before);
    expect(await recordingRows(interviewId)).toBe(0);
  });

  it("a wrong S3_BUCKET: says that the storage is misconfigured and the admin must check S3_BUCKET, and stores nothing", async () => {
    const wrongBucket = await startAppServer({ seed: false, env: { ...s3.env, S3_BUCKET: "lebenswege-typo", UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
    try {
      const client = await wrongBucket.loginAs("forschung");
      const interviewId = await interview();
      const before = s3.leftovers();
      const res = await upload({ client, server: wrongBucket, interviewId, body: mp3Bytes, name: "interview.mp3" });
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ error: "storage-misconfigured" });
      const i18n = createI18n("de");
      expect(i18n.t(`recordings:errors.${res.json!.error as string}`)).toContain("falsch eingerichtet");
      expect(i18n.t(`recordings:errors.${res.json!.error as string}`)).toContain("S3_BUCKET");
      expect(s3.leftovers()).toEqual(before);
      expect(await recordingRows(interviewId)).toBe(0);
    } finally {
      await wrongBucket.stop();
    }
  });
});

// Data minimisation: once the transcript is checked the audio is no longer needed (consent-and-privacy.md). Deleting it
// removes the file and the row, keeps transcript, consent and codings, and is refused while a transcription reads it.
describe("deleting a recording that is no longer needed", () => {
  async function deletePost(client: HttpClient, interviewId: string, recordingId: string, erasure: Record<string, string> = { ground: "no_longer_necessary" }) {
    // As the page's form sends it (Remix's data request: the action's answer as JSON).
    return client.post(`/interviews/${interviewId}?index&_data=${encodeURIComponent("routes/interviews.$interviewId._index")}`, { _csrf: await client.csrfToken(), intent: "delete-recording", recordingId, ...erasure });
  }

  it("removes the file and the row, keeps the consent, audits it without the file name, and the audio is gone", async () => {
    const interviewId = await interview();
    const res = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "Interview Frau Karimi.mp3" });
    const recordingId = (res.json!.recording as { id: string }).id;
    const { storageKey } = await db.recording.findUniqueOrThrow({ where: { id: recordingId }, select: { storageKey: true } });
    await db.interview.update({ where: { id: interviewId }, data: { status: "checked" } });
    expect(storedFiles()).toContain(storageKey);
    const consentsBefore = await db.consentRecord.count({ where: { interviewId } });

    // Integration managers and the commissioner may not (no write:recording); nothing happens.
    for (const username of ["im.loerrach", "beauftragte"]) {
      const other = await local.loginAs(username);
      expect((await deletePost(other, interviewId, recordingId)).status, username).toBe(403);
    }
    expect(storedFiles()).toContain(storageKey);

    const page = await (await researcher.get(`/interviews/${interviewId}`)).text();
    expect(page).toContain("Das Transkript ist geprüft");
    // Without a legal ground (or with an unknown one) nothing is deleted; the note typed comes back with the message.
    for (const ground of ["", "weil ich es sage"]) {
      const refused = await deletePost(researcher, interviewId, recordingId, { ground, note: "Transkript geprüft" });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { refused: string; recordingId: string; result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
      expect([body.refused, body.recordingId]).toEqual(["ground", recordingId]);
      expect(body.result.error).toEqual({ ground: ["validation.choose"] });
      expect(body.result.initialValue.note).toBe("Transkript geprüft");
    }
    expect(storedFiles()).toContain(storageKey);
    expect(await recordingRows(interviewId)).toBe(1);
    expect(await db.auditLog.count({ where: { action: "recording.delete", entityId: recordingId } })).toBe(0);
    const done = await deletePost(researcher, interviewId, recordingId, { ground: "no_longer_necessary", note: "Transkript geprüft" });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ deleted: "Interview Frau Karimi.mp3", deletedId: recordingId, refused: null });
    expect(storedFiles()).not.toContain(storageKey);
    expect(await recordingRows(interviewId)).toBe(0);
    expect(await db.consentRecord.count({ where: { interviewId } })).toBe(consentsBefore);
    expect((await db.interview.findUniqueOrThrow({ where: { id: interviewId }, select: { status: true } })).status).toBe("checked");
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "recording.delete", entityId: recordingId } });
    expect(entry.username).toBe("forschung");
    expect(entry.detail).not.toContain("Karimi");
    expect(JSON.parse(entry.detail!)).toMatchObject({ interviewId, interviewStatus: "checked", ground: "no_longer_necessary", note: "Transkript geprüft" });
    expect((await researcher.get(`/recordings/${recordingId}/media`)).status).toBe(404);
    // Again (a second tab): nothing left to delete.
    expect((await deletePost(researcher, interviewId, recordingId)).status).toBe(404);
  });

  it("is refused while a transcription job waits for or reads the recording, and the file stays", async () => {
    const interviewId = await interview();
    const res = await upload({ client: researcher, server: local, interviewId, body: mp3Bytes, name: "laufend.mp3" });
    const recordingId = (res.json!.recording as { id: string }).id;
    const job = await db.transcriptionJob.create({ data: { interviewId, recordingId, status: "queued" }, select: { id: true } });
    const refused = await deletePost(researcher, interviewId, recordingId);
    expect(refused.status).toBe(409);
    expect((await refused.json()).refused).toBe("transcribing");
    expect(await recordingRows(interviewId)).toBe(1);
    await db.transcriptionJob.update({ where: { id: job.id }, data: { status: "done" } });
    expect((await deletePost(researcher, interviewId, recordingId)).status).toBe(200);
    expect(await recordingRows(interviewId)).toBe(0);
  });

  it("deletes the object in S3 storage (s3rver)", async () => {
    const interviewId = await interview();
    const res = await upload({ client: researcherRemote, server: remote, interviewId, body: mp3Bytes, name: "s3.mp3" });
    const recordingId = (res.json!.recording as { id: string }).id;
    const { storageKey } = await db.recording.findUniqueOrThrow({ where: { id: recordingId }, select: { storageKey: true } });
    expect(s3.leftovers().some((f) => f.includes(storageKey))).toBe(true);
    expect((await deletePost(researcherRemote, interviewId, recordingId)).status).toBe(200);
    expect(s3.leftovers().some((f) => f.includes(storageKey))).toBe(false);
  });
});

describe("scanned consent forms", () => {
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

  it("stores a PDF with its consent version and downloads it as an attachment with the exact name", async () => {
    const interviewId = await interview();
    const consent = await db.consentRecord.findFirstOrThrow({ where: { interviewId }, select: { id: true } });
    const name = "Einwilligung Frau Ö. \"2025\".pdf";
    const res = await upload({ client: researcher, server: local, interviewId, body: pdf, name, kind: "consent-documents", headers: { "x-consent-record-id": consent.id } });
    expect(res.status, res.body).toBe(201);
    const document = res.json!.document as { id: string; consentRecordId: string; contentType: string };
    expect(document).toMatchObject({ consentRecordId: consent.id, contentType: "application/pdf" });
    const download = await researcher.get(`/consent-documents/${document.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    const disposition = download.headers.get("content-disposition")!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(name);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    expect(await db.auditLog.count({ where: { action: "consent-document.download", entityId: document.id } })).toBe(1);
    expect((await (await local.loginAs("im.loerrach")).get(`/consent-documents/${document.id}`)).status).toBe(403);
  });

  it("refuses anything that is not PDF, JPEG, PNG or TIFF, and a consent version of another interview", async () => {
    const interviewId = await interview();
    const other = await interview();
    const otherConsent = await db.consentRecord.findFirstOrThrow({ where: { interviewId: other }, select: { id: true } });
    const text = await upload({ client: researcher, server: local, interviewId, body: Buffer.from("nur Text, kein Scan"), name: "scan.pdf", kind: "consent-documents" });
    expect(text.status).toBe(415);
    expect(text.json).toEqual({ error: "not-document" });
    const wrong = await upload({ client: researcher, server: local, interviewId, body: pdf, name: "scan.pdf", kind: "consent-documents", headers: { "x-query": `?consentRecordId=${otherConsent.id}` } });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ error: "consent-record-unknown" });
    expect(await db.consentDocument.count({ where: { interviewId } })).toBe(0);
  });
});
