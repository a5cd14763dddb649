// Serving stored files: recordings for the player (HTTP Range, streamed from disk or S3, never read whole), a
// recording as a download for external transcription, and scanned consent forms as downloads.
import { createReadableStreamFromReadable } from "@remix-run/node";
import type { SessionUser } from "../auth/session.server.ts";
import { audit } from "../audit/audit.server.ts";
import { storage, StorageNotFound, type ByteRange } from "../storage/storage.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { parseRange } from "./range.ts";

/**
 * Longest answer to an open range ("bytes=a-", what players send). Remix's Node adapter writes a response body
 * without waiting for the socket (no backpressure): an open range over a 2-hour WAV would otherwise be read
 * into memory as fast as the disk delivers. Players ask for the next piece by themselves.
 */
export const MEDIA_CHUNK_BYTES = 8 * 1024 * 1024;

const NO_STORE = "private, no-store";

type StoredRecording = { id: string; interviewId: string; storageKey: string; contentType: string; sizeBytes: bigint; sha256: string; createdAt: Date };
type StoredDocument = { id: string; interviewId: string; storageKey: string; contentType: string; sizeBytes: bigint; displayName: string };

async function open(key: string, range: ByteRange | undefined, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  try {
    return createReadableStreamFromReadable(await storage().get(key, range, { signal }));
  } catch (error) {
    if (error instanceof StorageNotFound) throw notFound();
    throw error;
  }
}

/** 200, 206 or 416 for a recording; the caller has checked permission and consent. */
export async function recordingResponse(request: Request, user: SessionUser, recording: StoredRecording): Promise<Response> {
  const size = Number(recording.sizeBytes);
  const etag = `"${recording.sha256}"`;
  let rangeHeader = request.headers.get("range");
  // Stored content never changes, but a client resuming against another validator must get the whole file.
  const ifRange = request.headers.get("if-range");
  if (rangeHeader !== null && ifRange !== null && ifRange !== etag) rangeHeader = null;
  const answer = parseRange(rangeHeader, size, MEDIA_CHUNK_BYTES);
  if (answer.kind === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}`, "Accept-Ranges": "bytes", "Cache-Control": NO_STORE } });
  }
  const range = answer.kind === "partial" ? { start: answer.start, end: answer.end } : undefined;
  const status = range ? 206 : 200;
  const headers = new Headers({
    "Content-Type": recording.contentType,
    "Content-Length": String(range ? range.end - range.start + 1 : size),
    "Accept-Ranges": "bytes",
    "Cache-Control": NO_STORE,
    ETag: etag,
    "Last-Modified": recording.createdAt.toUTCString(),
  });
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  if (request.method === "HEAD") return new Response(null, { status, headers });
  // One audit entry per play, not per seek: a player starts at byte 0, seeking asks for later ranges.
  if (!range || range.start === 0) {
    await audit(request, user, { action: "recording.play", entity: "recording", entityId: recording.id, detail: { interviewId: recording.interviewId } });
  }
  return new Response(await open(recording.storageKey, range, request.signal), { status, headers });
}

/**
 * The whole recording as a download, to hand to an external transcription service; the caller has checked
 * permission and both scopes (mayTranscribeExternally). Audited: the file leaves the platform.
 */
export async function recordingDownload(request: Request, user: SessionUser, recording: StoredRecording & { displayName: string }): Promise<Response> {
  const headers = new Headers({
    "Content-Type": recording.contentType,
    "Content-Length": String(recording.sizeBytes),
    "Content-Disposition": contentDisposition(recording.displayName),
    "Cache-Control": NO_STORE,
  });
  if (request.method === "HEAD") return new Response(null, { headers });
  await audit(request, user, { action: "recording.download-external", entity: "recording", entityId: recording.id, detail: { interviewId: recording.interviewId, scope: "externalTranscription" } });
  return new Response(await open(recording.storageKey, undefined, request.signal), { headers });
}

/** A scanned consent form as a download; the caller has checked permission. */
export async function documentResponse(request: Request, user: SessionUser, document: StoredDocument): Promise<Response> {
  const headers = new Headers({
    "Content-Type": document.contentType,
    "Content-Length": String(document.sizeBytes),
    "Content-Disposition": contentDisposition(document.displayName),
    "Cache-Control": NO_STORE,
  });
  if (request.method === "HEAD") return new Response(null, { headers });
  await audit(request, user, { action: "consent-document.download", entity: "consent-document", entityId: document.id, detail: { interviewId: document.interviewId } });
  return new Response(await open(document.storageKey, undefined, request.signal), { headers });
}

/** attachment with an ASCII fallback and the exact name as RFC 5987 filename* (UTF-8, percent-encoded). */
export function contentDisposition(name: string): string {
  const fallback = name.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").replace(/["\\%;]/g, "_").trim() || "download";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
