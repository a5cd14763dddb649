// Every interview language can be chosen for a transcription; whisper.cpp is told only languages it knows (others
// run with automatic detection: an unknown code makes smart-whisper's call never answer), checked against the
// whisper.cpp this checkout builds and against real runs of it. The form's preselected language follows the interview.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, ROOT, SPEAKS_MODEL } from "./test-support.ts";
import { INTERVIEW_LANGUAGES } from "../interviews/interview-fields.ts";
import { ENGINE_UNSUPPORTED, TRANSCRIPTION_LANGUAGES, WHISPER_LANGUAGES, defaultTranscriptionLanguage, engineLanguage } from "../../transcription/languages.ts";
import { Engine } from "../../transcription/engine.ts";

describe("the transcription languages", () => {
  it("are the interview form's languages (but 'other') and automatic detection", () => {
    expect([...TRANSCRIPTION_LANGUAGES]).toEqual(["auto", ...INTERVIEW_LANGUAGES.filter((l) => l !== "other")]);
    expect(TRANSCRIPTION_LANGUAGES).toHaveLength(22);
  });

  it("whisper's language list is the one of the whisper.cpp built here, and it lacks Kurdish and Tigrinya", () => {
    const source = fs.readFileSync(path.join(ROOT, "node_modules", "smart-whisper", "whisper.cpp", "src", "whisper.cpp"), "utf8");
    const table = source.slice(source.indexOf("g_lang = {"), source.indexOf("};", source.indexOf("g_lang = {")));
    const codes = [...table.matchAll(/\{\s*"([a-z]+)",\s*\{\s*\d+,/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(90);
    expect(new Set(codes)).toEqual(WHISPER_LANGUAGES);
    expect(ENGINE_UNSUPPORTED).toEqual(["ku", "ti"]);
    expect(engineLanguage("ku")).toBe("auto");
    expect(engineLanguage("am")).toBe("am");
    expect(engineLanguage("other")).toBe("auto");
  });

  it("preselects the interview's one language whisper knows, else automatic detection, and says why", () => {
    expect(defaultTranscriptionLanguage(["de"], "auto")).toEqual({ language: "de", reason: "single", unsupported: [] });
    expect(defaultTranscriptionLanguage(["ur"], "auto")).toEqual({ language: "ur", reason: "single", unsupported: [] });
    // An interpreter's German beside Kurdish: German is the only one whisper can be told.
    expect(defaultTranscriptionLanguage(["ku", "de"], "auto")).toEqual({ language: "de", reason: "single", unsupported: ["ku"] });
    expect(defaultTranscriptionLanguage(["de", "ar"], "auto")).toEqual({ language: "auto", reason: "multilingual", languages: ["de", "ar"] });
    expect(defaultTranscriptionLanguage(["ti"], "auto")).toEqual({ language: "auto", reason: "unsupported", languages: ["ti"] });
    expect(defaultTranscriptionLanguage(["other"], "auto")).toEqual({ language: "auto", reason: "none" });
    expect(defaultTranscriptionLanguage([], "auto")).toEqual({ language: "auto", reason: "none" });
    // A language chosen for the last run stays; that run's "auto" was no choice (it was the only default).
    expect(defaultTranscriptionLanguage(["de"], "fa")).toEqual({ language: "fa", reason: "previous" });
    expect(defaultTranscriptionLanguage(["de"], "ku")).toEqual({ language: "ku", reason: "previous" });
  });
});

const ready = fs.existsSync(SPEAKS_MODEL) && fs.existsSync(FIXTURES);

describe.skipIf(!ready)("whisper.cpp with every transcription language", () => {
  let engine: Engine;
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-languages-"));
  const pcm = path.join(dir, "audio.pcm");
  beforeAll(async () => {
    execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", path.join(FIXTURES, "int-01.mp3"), "-t", "2", "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le", "-f", "f32le", "-y", pcm]);
    engine = await Engine.start({ modelPath: SPEAKS_MODEL, log: () => undefined });
  });
  afterAll(async () => {
    await engine?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers each with that language, or detects one where whisper does not know it", async () => {
    for (const code of TRANSCRIPTION_LANGUAGES) {
      const language = engineLanguage(code);
      const result = await engine.transcribe({ pcmPath: pcm, spans: [[0, 32_000]], language, threads: 1, beamSize: 1 });
      // The synthetic model's own detection answers German.
      expect(result.lang, code).toBe(language === "auto" ? "de" : code);
    }
  }, 120_000);
});
