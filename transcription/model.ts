// Is a whisper model configured and usable? Asked by the worker at start-up (it logs how to add one) and by the
// transcription page (it shows the same). No model is bundled: see docs/transcription-models.md.
import fs from "node:fs/promises";
import path from "node:path";

export type ModelStatus =
  | { ok: true; path: string; name: string; sizeBytes: number }
  | { ok: false; reason: "unset" | "missing" | "folder" | "invalid"; path: string | null };

/** ggml whisper files begin with the magic 0x67676d6c ("lmgg" on disk). */
const GGML_MAGIC = 0x67676d6c;

export const SUGGESTED_MODEL_DIR = "data/models";
export const SUGGESTED_MODEL = "ggml-base-q5_1.bin";

export async function modelStatus(configured: string | undefined): Promise<ModelStatus> {
  if (!configured?.trim()) return { ok: false, reason: "unset", path: null };
  const file = path.resolve(configured);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, "r");
  } catch {
    return { ok: false, reason: "missing", path: file };
  }
  try {
    const stats = await handle.stat();
    // A folder opens fine on Linux and fails only on read (EISDIR): say what is wrong instead of crashing the worker.
    if (stats.isDirectory()) return { ok: false, reason: "folder", path: file };
    if (!stats.isFile()) return { ok: false, reason: "invalid", path: file };
    const size = stats.size;
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (size < 1024 || head.readUInt32LE(0) !== GGML_MAGIC) return { ok: false, reason: "invalid", path: file };
    return { ok: true, path: file, name: path.basename(file), sizeBytes: size };
  } finally {
    await handle.close();
  }
}

/** The start-up log lines when no usable model is configured (English, for operators). */
export function modelHelp(status: Extract<ModelStatus, { ok: false }>): string[] {
  const problem =
    status.reason === "unset"
      ? "No whisper model is configured (WHISPER_MODEL is not set)."
      : status.reason === "missing"
        ? `The whisper model file ${status.path} does not exist or cannot be read.`
        : status.reason === "folder"
          ? `${status.path} is a folder: WHISPER_MODEL must name the model file in it.`
          : `${status.path} is not a whisper.cpp ggml model file.`;
  return [
    `Transcription is off: ${problem}`,
    `  Put a multilingual whisper.cpp ggml model, e.g. ${SUGGESTED_MODEL} (57 MB, sha256 422f1ae4...8898) or ggml-tiny-q5_1.bin (32 MB),`,
    `  into ${SUGGESTED_MODEL_DIR}/ and set WHISPER_MODEL=./${SUGGESTED_MODEL_DIR}/${SUGGESTED_MODEL} in .env (or the environment), then restart.`,
    "  Which files, their sha256 and where to get them: docs/transcription-models.md.",
    // On purpose (ADR 0007): a supervisor sees a running process, the admins' page shows it "waiting for a model".
    "  This worker keeps running without transcribing: it looks for the file every 30 s and starts work once it is there (the admins' page lists it as waiting for a model).",
  ];
}

/** The synthetic test models of ../shared/models carry this in their names: random weights, no usable text. */
export function isRandomWeightsModel(name: string): boolean {
  return /RANDOM-WEIGHTS/i.test(name);
}

/** The start-up warning for a test model used as if it were real (null for any other model). */
export function modelWarning(status: Extract<ModelStatus, { ok: true }>): string | null {
  if (!isRandomWeightsModel(status.name)) return null;
  return `Warning: ${status.name} is a synthetic test model with random weights: it transcribes nothing useful (empty or invented text). Set WHISPER_MODEL to a real whisper model (docs/transcription-models.md) before transcribing interviews.`;
}
