// Playing a linked passage for people without access to recordings (integration managers): only the passage's
// time range is served, cut by ffmpeg (argument array, no shell, whitelisted protocols and demuxers), and only
// while the link exists, the interview's consent still covers linking and recording, and the case is within
// the caller's scope. Nothing is stored: the clip is made per request and audited as a play.
import { spawn } from "node:child_process";
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { counsellingCaseScope, type Grant } from "../permissions/permissions.server.ts";
import { storage } from "../storage/storage.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { locatePassage } from "./passage.ts";

/** Demuxers a recording can have passed the upload check with (as app/transcripts/peaks.server.ts). */
const FORMATS = "mp3,wav,aiff,ogg,flac,mov,matroska,amr,aac";
/** A passage is a few turns; anything longer is not what this route is for. */
const MAX_CLIP_MS = 10 * 60_000;
const TIMEOUT_MS = 60_000;

/** The clip's source and range, or 404 when the link, its consent or the caller's scope does not allow it. */
export async function passageClipSource(grant: Grant, linkId: string) {
  const link = await db.passageLink.findFirst({
    where: { id: linkId, status: { not: "rejected" }, case: counsellingCaseScope(grant) },
    select: {
      id: true,
      caseId: true,
      coding: {
        select: {
          start: true,
          end: true,
          orphaned: true,
          transcriptId: true,
          interview: { select: { id: true, recordings: { select: { id: true, storageKey: true }, orderBy: { createdAt: "asc" }, take: 1 } } },
        },
      },
    },
  });
  if (!link || link.coding.orphaned) throw notFound();
  const interviewId = link.coding.interview.id;
  const [linking, recording] = await Promise.all([mayProcess(interviewId, "linking"), mayProcess(interviewId, "recording")]);
  const stored = link.coding.interview.recordings[0];
  if (!linking.ok || !recording.ok || !stored) throw notFound();
  const turns = await db.transcriptParagraph.findMany({ where: { transcriptId: link.coding.transcriptId }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } });
  const place = locatePassage(turns, link.coding.start, link.coding.end);
  if (!place || place.endMs <= place.startMs) throw notFound();
  const endMs = Math.min(place.endMs, place.startMs + MAX_CLIP_MS);
  return { linkId: link.id, caseId: link.caseId, interviewId, recordingId: stored.id, storageKey: stored.storageKey, startMs: place.startMs, endMs };
}

/** ffmpeg output as one buffer (a passage is small), so a failure becomes an error page, not a broken stream. */
export async function cutClip(storageKey: string, startMs: number, endMs: number): Promise<Buffer> {
  const source = await storage().probeSource(storageKey);
  const args = [
    "-hide_banner", "-nostdin", "-v", "error",
    "-protocol_whitelist", source.protocols,
    "-format_whitelist", FORMATS,
    "-ss", (startMs / 1000).toFixed(3),
    "-i", source.input,
    "-t", ((endMs - startMs) / 1000).toFixed(3),
    "-vn", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", "-map_metadata", "-1", "-f", "mp3", "pipe:1",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const chunks: Buffer[] = [];
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString();
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().slice(0, 500)}`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

export async function passageClipResponse(request: Request, grant: Grant, linkId: string): Promise<Response> {
  const clip = await passageClipSource(grant, linkId);
  const headers = { "Content-Type": "audio/mpeg", "Cache-Control": "private, no-store" };
  if (request.method === "HEAD") return new Response(null, { headers });
  const body = await cutClip(clip.storageKey, clip.startMs, clip.endMs);
  await audit(request, grant.user, { action: "passage-link.play", entity: "case", entityId: clip.caseId, detail: { linkId: clip.linkId, interviewId: clip.interviewId, startMs: clip.startMs, endMs: clip.endMs } });
  return new Response(new Uint8Array(body), { headers: { ...headers, "Content-Length": String(body.length) } });
}
