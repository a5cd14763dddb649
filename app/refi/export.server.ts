// REFI-QDA downloads: the project (.qdpx, a zip with project.qde and sources/) streamed to the response with
// yazl, and the codebook (.qdc). Both are audited with counts, never content.
import { Readable } from "node:stream";
import yazl from "yazl";
import { audit } from "../audit/audit.server.ts";
import { db as defaultDb, type Db } from "../db/client.server.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { storage } from "../storage/storage.server.ts";
import { loadCodes, loadExportData, type ExportData, type ExportOptions } from "./export-data.server.ts";
import { codebookXml, mediaEntryName, projectXml, textEntryName } from "./export-xml.server.ts";
import { redactExportData } from "./redact.server.ts";

export type ProjectFile = { data: ExportData; zip: Readable };

const stamp = (d: Date) => d.toISOString().slice(0, 10);

/** The zip as a stream: XML and texts are small buffers, recordings are streamed from storage one by one. */
export function projectZip(data: ExportData, xml: string, now: Date): Readable {
  const zip = new yazl.ZipFile();
  const mtime = now;
  zip.addBuffer(Buffer.from(xml, "utf8"), "project.qde", { mtime });
  for (const s of data.sources) {
    zip.addBuffer(Buffer.from(s.text, "utf8"), `sources/${textEntryName(s.interviewId)}`, { mtime });
    const recording = s.recording;
    if (recording) {
      // Already compressed audio: store, do not deflate again.
      zip.addReadStreamLazy(`sources/${mediaEntryName(recording.id, recording.contentType)}`, { mtime, compress: false }, (cb) => {
        storage()
          .get(recording.storageKey)
          .then((stream) => cb(null, stream), (error: Error) => cb(error, null as unknown as Readable));
      });
    }
  }
  zip.end();
  return zip.outputStream as Readable;
}

export async function exportProject(request: Request | null, grant: Grant, options: ExportOptions, client: Db = defaultDb): Promise<ProjectFile & { fileName: string }> {
  const now = new Date();
  const loaded = await loadExportData(options, client);
  const { data, replaced } = options.replaceIdentifying ? await redactExportData(request, grant.user, loaded) : { data: loaded, replaced: 0 };
  const xml = projectXml(data, { name: `Lebenswege ${stamp(now)}`, userId: grant.user.id, now });
  await audit(
    request,
    grant.user,
    {
      action: "refi.export",
      entity: "refi",
      detail: {
        format: "qdpx",
        identifying: options.replaceIdentifying ? "replaced" : "kept",
        replaced,
        interviews: data.sources.map((s) => s.code),
        codings: data.sources.reduce((n, s) => n + s.codings.length, 0),
        memos: data.memos.length,
        codes: data.codes.length,
        audio: data.sources.filter((s) => s.recording).length,
        skipped: data.skipped,
      },
    },
    client,
  );
  return { data, zip: projectZip(data, xml, now), fileName: `lebenswege-${stamp(now)}.qdpx` };
}

export async function exportCodebook(request: Request | null, grant: Grant, client: Db = defaultDb): Promise<{ xml: string; fileName: string; codes: number } | null> {
  const codes = await loadCodes(client);
  if (!codes.length) return null;
  await audit(request, grant.user, { action: "refi.export", entity: "refi", detail: { format: "qdc", codes: codes.length } }, client);
  return { xml: codebookXml(codes), fileName: `lebenswege-codebook-${stamp(new Date())}.qdc`, codes: codes.length };
}
