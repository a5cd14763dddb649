// The content check by first bytes, on real files made with ffmpeg and on things that only look like audio.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sniffDocument, sniffMedia, SNIFF_BYTES } from "./sniff.ts";
import { speech, tempDir, wavHeader } from "../../tests/recordings/media-files.ts";

const dir = tempDir("sniff-");
const head = (file: string) => fs.readFileSync(file).subarray(0, SNIFF_BYTES);

describe("sniffMedia", () => {
  it("recognises the containers ffmpeg writes", () => {
    const wav = speech(dir, "Test", "wav");
    const expected: [string, string, string][] = [
      [speech(dir, "Test", "mp3"), "id3", "audio/mpeg"],
      [speech(dir, "Test", "mp3", ["-id3v2_version", "0", "-write_xing", "0"]), "mp3", "audio/mpeg"],
      [wav, "wav", "audio/wav"],
      [speech(dir, "Test", "ogg"), "ogg", "audio/ogg"],
      [speech(dir, "Test", "webm"), "webm", "audio/webm"],
      [speech(dir, "Test", "m4a"), "mp4", "audio/mp4"],
    ];
    for (const [ext, container, contentType] of [["flac", "flac", "audio/flac"], ["aac", "aac", "audio/aac"], ["mka", "matroska", "audio/x-matroska"], ["aiff", "aiff", "audio/aiff"], ["mov", "quicktime", "video/quicktime"]]) {
      const out = path.join(dir, `t.${ext}`);
      execFileSync("ffmpeg", ["-v", "error", "-y", "-i", wav, ...(ext === "mov" ? ["-c:a", "aac"] : ext === "aac" ? ["-c:a", "aac", "-f", "adts"] : []), out]);
      expected.push([out, container!, contentType!]);
    }
    // Debian's ffmpeg has no AMR encoder: the AMR magic ("#!AMR\n") by hand
    const amr = path.join(dir, "t.amr");
    fs.writeFileSync(amr, Buffer.concat([Buffer.from("#!AMR\n"), Buffer.alloc(SNIFF_BYTES, 0x3c)]));
    expected.push([amr, "amr", "audio/amr"]);
    for (const [file, container, contentType] of expected) expect(sniffMedia(head(file)), file).toEqual({ container, contentType });
  });

  it("refuses text, images, documents and executables, whatever their name", () => {
    for (const bytes of [
      Buffer.from("Das ist keine Aufnahme, sondern Text. ".repeat(4)),
      Buffer.from("%PDF-1.7\n".padEnd(SNIFF_BYTES, " ")),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(SNIFF_BYTES)]),
      Buffer.concat([Buffer.from("\x7fELF"), Buffer.alloc(SNIFF_BYTES)]),
      Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(SNIFF_BYTES)]),
      Buffer.concat([Buffer.from("RIFF\0\0\0\0AVI "), Buffer.alloc(SNIFF_BYTES)]),
      Buffer.alloc(SNIFF_BYTES, 0xff),
    ]) {
      expect(sniffMedia(bytes), bytes.subarray(0, 8).toString("hex")).toBeNull();
    }
  });

  it("waits for enough bytes, and decides on what there is when the file is shorter", () => {
    const wav = wavHeader(1000);
    expect(sniffMedia(wav.subarray(0, 10))).toBe("more");
    expect(sniffMedia(wav, true)).toEqual({ container: "wav", contentType: "audio/wav" });
    expect(sniffMedia(Buffer.from("ID"), true)).toBeNull();
    expect(sniffMedia(Buffer.alloc(0), true)).toBeNull();
  });
});

describe("sniffDocument", () => {
  it("accepts PDF, JPEG, PNG and TIFF, nothing else", () => {
    const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc(SNIFF_BYTES)]);
    expect(sniffDocument(pad(Buffer.from("%PDF-1.4\n")))).toMatchObject({ contentType: "application/pdf" });
    expect(sniffDocument(pad(Buffer.from([0xff, 0xd8, 0xff, 0xe0])))).toMatchObject({ contentType: "image/jpeg" });
    expect(sniffDocument(pad(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))).toMatchObject({ contentType: "image/png" });
    expect(sniffDocument(pad(Buffer.from("II*\0")))).toMatchObject({ contentType: "image/tiff" });
    expect(sniffDocument(pad(Buffer.from("MM\0*")))).toMatchObject({ contentType: "image/tiff" });
    expect(sniffDocument(pad(Buffer.from("GIF89a")))).toBeNull();
    expect(sniffDocument(pad(Buffer.from("<svg xmlns")))).toBeNull();
    expect(sniffDocument(fs.readFileSync(speech(dir, "Test", "mp3")).subarray(0, SNIFF_BYTES))).toBeNull();
  });
});
