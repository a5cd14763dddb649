// Reading an uploaded .qdpx without trusting it: the central directory is checked first (entry count, names,
// declared sizes and ratios), and an entry is only inflated on demand, with the limits enforced on the bytes
// that actually come out of the inflater (declared sizes can lie).
import yauzl from "yauzl";
import { REFI_LIMITS, type RefiLimits } from "./limits.ts";
import { RefiRefusal } from "./refusal.ts";

export type ZipEntryInfo = { name: string; compressedSize: number; uncompressedSize: number };

export type SafeZip = {
  entries: Map<string, ZipEntryInfo>;
  /** Inflates one entry (by exact name) within the limits; counts towards the total. */
  read(name: string): Promise<Buffer>;
  close(): void;
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** An entry name we accept: relative, forward slashes only, no "..", no drive letter, no control characters. */
export function checkEntryName(raw: Buffer): string {
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    throw new RefiRefusal("badEntryName", raw.toString("latin1").slice(0, 80));
  }
  if (!name || /[\u0000-\u001f\u007f]/.test(name)) throw new RefiRefusal("badEntryName", name.slice(0, 80));
  if (name.includes("\\")) throw new RefiRefusal("unsafePath", name);
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name)) throw new RefiRefusal("unsafePath", name);
  if (name.split("/").some((segment) => segment === ".." || segment === ".")) throw new RefiRefusal("unsafePath", name);
  return name;
}

function open(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // Sizes are checked here on the inflated bytes (a lying header is refused by the limits, not trusted).
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false }, (error, zip) => {
      if (error || !zip) reject(new RefiRefusal("notZip"));
      else resolve(zip);
    });
  });
}

export async function openSafeZip(buffer: Buffer, limits: RefiLimits = REFI_LIMITS): Promise<SafeZip> {
  // A zip ends with its end-of-central-directory record; anything else is not a zip (checked by yauzl too).
  const zip = await open(buffer);
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw new RefiRefusal("tooManyEntries", String(zip.entryCount));
  }
  const entries = new Map<string, ZipEntryInfo>();
  const raw = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => reject(error instanceof RefiRefusal ? error : new RefiRefusal("brokenZip", error instanceof Error ? error.message.slice(0, 120) : ""));
      zip.on("error", fail);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        try {
          const name = checkEntryName(entry.fileName as unknown as Buffer);
          if (entries.has(name)) throw new RefiRefusal("duplicateEntry", name);
          if (entry.isEncrypted()) throw new RefiRefusal("encryptedEntry", name);
          if (!name.endsWith("/")) {
            entries.set(name, { name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
            raw.set(name, entry);
          }
          zip.readEntry();
        } catch (error) {
          fail(error);
        }
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }

  let total = 0;
  const read = (name: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const entry = raw.get(name);
      const info = entries.get(name);
      if (!entry || !info) return reject(new RefiRefusal("missingSource", name));
      // Declared sizes first: a cheap early refusal. The stream below enforces the same on real bytes.
      if (info.uncompressedSize > limits.entryBytes) return reject(new RefiRefusal("entryTooLarge", name));
      if (total + info.uncompressedSize > limits.totalBytes) return reject(new RefiRefusal("totalTooLarge", name));
      if (info.uncompressedSize > limits.ratioFloorBytes && info.uncompressedSize > limits.ratio * Math.max(1, info.compressedSize)) return reject(new RefiRefusal("ratio", name));
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(new RefiRefusal("brokenZip", name));
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          size += chunk.length;
          total += chunk.length;
          const refusal =
            size > limits.entryBytes ? "entryTooLarge" : total > limits.totalBytes ? "totalTooLarge" : size > limits.ratioFloorBytes && size > limits.ratio * Math.max(1, info.compressedSize) ? "ratio" : null;
          if (refusal) {
            stream.destroy();
            reject(new RefiRefusal(refusal, name));
            return;
          }
          chunks.push(chunk);
        });
        stream.on("error", () => reject(new RefiRefusal("brokenZip", name)));
        stream.on("end", () => (size === info.uncompressedSize ? resolve(Buffer.concat(chunks, size)) : reject(new RefiRefusal("brokenZip", name))));
      });
    });
  return { entries, read, close: () => zip.close() };
}
