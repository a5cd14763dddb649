// Zips for import tests: well-formed ones with yazl, and hand-made ones (raw bytes) for what yazl refuses to
// write: "../" and absolute names, backslashes, headers that lie about sizes.
import zlib from "node:zlib";
import yazl from "yazl";
import { streamToBuffer } from "./support.ts";

export async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"), name);
  zip.end();
  return streamToBuffer(zip.outputStream as never);
}

export type RawEntry = { name: string | Buffer; data: Buffer; deflate?: boolean; declaredSize?: number };

/** A zip written byte by byte, so names and sizes can be anything. */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, "utf8");
    const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const crc = zlib.crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const method = e.deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A minimal valid project with one text source and one coded selection, parts replaceable for hostile variants. */
export function miniProject(o: { text?: string; start?: number | string; end?: number | string; codeRef?: string; extraXml?: string; ns?: string; prolog?: string; sourcePath?: string } = {}) {
  const text = o.text ?? "B: Ich habe eine Ausbildung angefangen. #00:00:05-0#\n";
  const xml = `${o.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>'}
<Project xmlns="${o.ns ?? "urn:QDA-XML:project:1.0"}" name="Mini">
  <CodeBook><Codes><Code guid="${G(1)}" name="Mini-Code" isCodable="true" color="#123456"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="${G(2)}" name="Mini-Quelle" plainTextPath="${o.sourcePath ?? `internal://${G(2)}.txt`}">
      <PlainTextSelection guid="${G(3)}" startPosition="${o.start ?? 17}" endPosition="${o.end ?? 27}">
        <Coding guid="${G(4)}"><CodeRef targetGUID="${o.codeRef ?? G(1)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>${o.extraXml ?? ""}
</Project>
`;
  return { xml, text, files: { "project.qde": xml, [`sources/${G(2)}.txt`]: text } as Record<string, string | Buffer> };
}
