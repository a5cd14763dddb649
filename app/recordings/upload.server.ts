// Streamed uploads of recordings and scanned consent forms. The browser sends the file as the raw request body
// (XHR, for upload progress), its name URL-encoded in X-File-Name and the session's CSRF token in X-CSRF-Token.
// The body is read once: its first bytes are sniffed before anything is stored, then every byte is counted,
// hashed and written to storage as it arrives (never held whole, never written twice). A recording is then
// checked with ffprobe; only after that is its row inserted. Whatever fails on the way (refusal, cut
// connection, ffprobe, database) leaves no file, object or row behind.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { json } from "@remix-run/node";
import type { SessionUser } from "../auth/session.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess, requireScope } from "../consent/gates.server.ts";
import { db } from "../db/client.server.ts";
import { env } from "../env.server.ts";
import { caseScope, requirePermission } from "../permissions/permissions.server.ts";
import { StorageBucketMissing, newStorageKey, storage, type PutResult, type Storage } from "../storage/storage.server.ts";
import { mediaContentType, probeMedia } from "./probe.server.ts";
import { sniffDocument, sniffMedia, type DocumentType, type MediaContainer, type Sniffed } from "./sniff.ts";

export const FILE_NAME_HEADER = "x-file-name";
export const CSRF_HEADER = "x-csrf-token";
export const CONSENT_RECORD_HEADER = "x-consent-record-id";
export const DISPLAY_NAME_MAX = 255;

/** A refusal with an i18n key (namespace recordings, errors.<key>) and its HTTP status. */
export class UploadRefusal extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = "UploadRefusal";
  }
}

export type RecordingJson = {
  id: string;
  displayName: string;
  mediaType: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  durationMs: number | null;
  createdAt: string;
};

export type ConsentDocumentJson = {
  id: string;
  displayName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  consentRecordId: string | null;
  createdAt: string;
};

type BodyState = { consumed: boolean };

/** POST /interviews/:interviewId/recordings */
export function uploadRecording(request: Request, interviewId: string): Promise<Response> {
  return answering(request, async (state) => {
    const grant = await requirePermission(request, "write", "recording");
    checkCsrfHeader(request, grant.user);
    const interview = await db.interview.findFirst({ where: { id: interviewId, case: caseScope(grant) }, select: { id: true } });
    if (!interview) throw new UploadRefusal(404, "not-found");
    await requireScope(interviewId, "recording");
    const displayName = displayNameOf(request);

    const store = storage();
    const received = await receive(request, store, sniffMedia, "not-media", state);
    const { key } = received;
    try {
      const probe = await probeMedia(await store.probeSource(key));
      if (!probe.ok) throw new UploadRefusal(422, probe.reason);
      // Consent may have been withdrawn while the file was arriving.
      const gate = await mayProcess(interviewId, "recording");
      if (!gate.ok) throw new UploadRefusal(403, "consent-missing", { scope: gate.missing, reason: gate.reason });
      const contentType = mediaContentType(received.sniffed, probe.formatName, probe.mediaType);
      // The same file twice (same content) gives two recordings nobody can tell apart: refused, naming the first.
      const same = await db.recording.findFirst({ where: { interviewId, sha256: received.sha256 }, select: { displayName: true } });
      if (same) throw new UploadRefusal(409, "duplicate", { name: same.displayName });
      const recording = await db.$transaction(async (tx) => {
        const row = await tx.recording.create({
          data: {
            interviewId,
            storageKey: key,
            displayName,
            mediaType: probe.mediaType,
            contentType,
            sizeBytes: BigInt(received.size),
            sha256: received.sha256,
            durationMs: probe.durationMs,
            createdById: grant.user.id,
          },
          select: { id: true, displayName: true, mediaType: true, contentType: true, sizeBytes: true, sha256: true, durationMs: true, createdAt: true },
        });
        // The first recording moves a planned interview on to "recorded" (later steps set their own status).
        await tx.interview.updateMany({ where: { id: interviewId, status: "planned" }, data: { status: "recorded" } });
        await audit(
          request,
          grant.user,
          {
            action: "recording.upload",
            entity: "recording",
            entityId: row.id,
            detail: { interviewId, sizeBytes: received.size, contentType, durationMs: probe.durationMs },
          },
          tx,
        );
        return row;
      });
      const body: RecordingJson = { ...recording, sizeBytes: Number(recording.sizeBytes), createdAt: recording.createdAt.toISOString() };
      return json({ recording: body }, { status: 201, headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      await store.delete(key).catch(() => undefined);
      throw error;
    }
  });
}

/** POST /interviews/:interviewId/consent-documents (optional consent version: X-Consent-Record-Id or ?consentRecordId=) */
export function uploadConsentDocument(request: Request, interviewId: string): Promise<Response> {
  return answering(request, async (state) => {
    const grant = await requirePermission(request, "write", "interview");
    checkCsrfHeader(request, grant.user);
    const interview = await db.interview.findFirst({ where: { id: interviewId, case: caseScope(grant) }, select: { id: true, status: true } });
    if (!interview) throw new UploadRefusal(404, "not-found");
    if (interview.status === "withdrawn") throw new UploadRefusal(409, "withdrawn");
    const consentRecordId = request.headers.get(CONSENT_RECORD_HEADER) || new URL(request.url).searchParams.get("consentRecordId") || null;
    if (consentRecordId) {
      const consent = await db.consentRecord.findFirst({ where: { id: consentRecordId, interviewId }, select: { id: true } });
      if (!consent) throw new UploadRefusal(400, "consent-record-unknown");
    }
    const displayName = displayNameOf(request);

    const store = storage();
    const received = await receive(request, store, sniffDocument, "not-document", state);
    try {
      const document = await db.$transaction(async (tx) => {
        const row = await tx.consentDocument.create({
          data: {
            interviewId,
            consentRecordId,
            storageKey: received.key,
            displayName,
            contentType: received.sniffed.contentType,
            sizeBytes: BigInt(received.size),
            sha256: received.sha256,
            createdById: grant.user.id,
          },
          select: { id: true, displayName: true, contentType: true, sizeBytes: true, sha256: true, consentRecordId: true, createdAt: true },
        });
        await audit(
          request,
          grant.user,
          {
            action: "consent-document.upload",
            entity: "consent-document",
            entityId: row.id,
            detail: { interviewId, consentRecordId, sizeBytes: received.size, contentType: row.contentType },
          },
          tx,
        );
        return row;
      });
      const body: ConsentDocumentJson = { ...document, sizeBytes: Number(document.sizeBytes), createdAt: document.createdAt.toISOString() };
      return json({ document: body }, { status: 201, headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      await store.delete(received.key).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Runs an upload handler and turns refusals into JSON answers. An answer sent before the body was read to the
 * end closes the connection (like nginx's 413), so the browser stops sending the rest of a large file.
 */
async function answering(request: Request, handler: (state: BodyState) => Promise<Response>): Promise<Response> {
  const state: BodyState = { consumed: false };
  let response: Response;
  try {
    response = await handler(state);
  } catch (error) {
    if (error instanceof UploadRefusal) {
      response = json({ error: error.key, ...error.extra }, { status: error.status, headers: { "Cache-Control": "no-store" } });
    } else if (error instanceof Response) {
      response = error;
    } else if (error instanceof StorageBucketMissing) {
      // The configuration, not the file: the uploader learns that an admin must act, the log says what to fix.
      console.error(`[upload] ${error.message}`);
      response = json({ error: "storage-misconfigured" }, { status: 503, headers: { "Cache-Control": "no-store" } });
    } else {
      throw error;
    }
  }
  if (!state.consumed) response.headers.set("Connection", "close");
  return response;
}

/** The CSRF check of app/auth/csrf.server.ts, for a token sent as a header (the body is the file). */
export function checkCsrfHeader(request: Request, user: SessionUser) {
  const token = request.headers.get(CSRF_HEADER) ?? "";
  const ok = token.length === user.csrfToken.length && crypto.timingSafeEqual(Buffer.from(token), Buffer.from(user.csrfToken));
  if (!ok) throw new UploadRefusal(403, "csrf");
}

/** The user's file name, only ever shown as text: decoded, NFC, control characters removed, at most 255 characters. */
export function displayNameOf(request: Request): string {
  const raw = request.headers.get(FILE_NAME_HEADER);
  if (!raw) throw new UploadRefusal(400, "name-missing");
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new UploadRefusal(400, "name-invalid");
  }
  name = name.normalize("NFC").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "").trim();
  if (!name) throw new UploadRefusal(400, "name-missing");
  if (name.length > DISPLAY_NAME_MAX) throw new UploadRefusal(400, "name-too-long", { max: DISPLAY_NAME_MAX });
  return name;
}

type Sniffer<T extends string> = (head: Uint8Array, complete?: boolean) => Sniffed<T> | "more" | null;
type Received<T extends string> = PutResult & { key: string; sniffed: Sniffed<T> };

/** Streams the request body into storage under a new key; refuses by content, size or a cut connection. */
async function receive<T extends MediaContainer | DocumentType>(
  request: Request,
  store: Storage,
  sniff: Sniffer<T>,
  wrongType: "not-media" | "not-document",
  state: BodyState,
): Promise<Received<T>> {
  const maxBytes = env().UPLOAD_MAX_BYTES;
  const declared = contentLengthOf(request);
  if (declared !== null && declared > maxBytes) throw new UploadRefusal(413, "too-large", { maxBytes });
  if (declared === 0 || !request.body) throw new UploadRefusal(400, "empty");

  const verdict: { sniffed?: Sniffed<T> } = {};
  const body = Readable.from(gate(request.body, request.signal, sniff, wrongType, maxBytes, declared, verdict, state), { objectMode: false });
  const key = newStorageKey();
  // put() removes its temporary file / aborts its multipart upload itself when the body fails.
  const result = await store.put(key, body, { contentType: "application/octet-stream", expectedBytes: declared ?? maxBytes });
  if (!verdict.sniffed) {
    await store.delete(key);
    throw new UploadRefusal(415, wrongType);
  }
  return { ...result, key, sniffed: verdict.sniffed };
}

function contentLengthOf(request: Request): number | null {
  const value = request.headers.get("content-length");
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * The request body, passed on chunk by chunk: held back until the first bytes are sniffed, counted against the
 * limit, and checked to be complete (a connection cut mid-body must not end like a short file).
 */
async function* gate<T extends string>(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  sniff: Sniffer<T>,
  wrongType: string,
  maxBytes: number,
  declared: number | null,
  verdict: { sniffed?: Sniffed<T> },
  state: BodyState,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let head: Uint8Array = new Uint8Array(0);
  let total = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new UploadRefusal(400, "incomplete"); // the client went away mid-body
      }
      const { done, value } = next;
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new UploadRefusal(413, "too-large", { maxBytes });
      if (verdict.sniffed) {
        yield value;
        continue;
      }
      head = head.length ? Buffer.concat([head, value]) : value;
      const found = sniff(head);
      if (found === "more") continue;
      if (found === null) throw new UploadRefusal(415, wrongType);
      verdict.sniffed = found;
      yield head;
    }
    if (signal.aborted || (declared !== null && total !== declared)) throw new UploadRefusal(400, "incomplete");
    state.consumed = true;
    if (total === 0) throw new UploadRefusal(400, "empty");
    if (!verdict.sniffed) {
      const found = sniff(head, true);
      if (found === null || found === "more") throw new UploadRefusal(415, wrongType);
      verdict.sniffed = found;
      yield head;
    }
  } finally {
    // Not cancel(): that would destroy the connection before the refusal can be answered.
    reader.releaseLock();
  }
}
