// The model check behind the worker's start-up message and the transcription page, on real files: every wrong
// WHISPER_MODEL gets a reason the page can show, none crashes the worker (a folder used to: EISDIR on read).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelHelp, modelStatus, modelWarning } from "../../transcription/model.ts";

const MODELS = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "models", "synthetic");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lw-model-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("modelStatus", () => {
  it("accepts a ggml model file and names it", async () => {
    const file = path.join(MODELS, "ggml-tiny-RANDOM-WEIGHTS-eot.bin");
    expect(await modelStatus(file)).toEqual({ ok: true, path: file, name: "ggml-tiny-RANDOM-WEIGHTS-eot.bin", sizeBytes: fs.statSync(file).size });
  });

  it("says what is wrong: not set, missing, a folder, not a model file", async () => {
    const text = path.join(tmp, "notes.txt");
    fs.writeFileSync(text, "not a model\n".repeat(200));
    expect(await modelStatus(undefined)).toEqual({ ok: false, reason: "unset", path: null });
    expect(await modelStatus("  ")).toEqual({ ok: false, reason: "unset", path: null });
    expect(await modelStatus(path.join(tmp, "nope.bin"))).toEqual({ ok: false, reason: "missing", path: path.join(tmp, "nope.bin") });
    expect(await modelStatus(MODELS)).toEqual({ ok: false, reason: "folder", path: MODELS });
    expect(await modelStatus(text)).toEqual({ ok: false, reason: "invalid", path: text });
    expect(await modelStatus("/dev/null")).toEqual({ ok: false, reason: "invalid", path: "/dev/null" });
    const folder = await modelStatus(MODELS);
    if (folder.ok) throw new Error("a folder is no model");
    expect(modelHelp(folder)[0]).toBe(`Transcription is off: ${MODELS} is a folder: WHISPER_MODEL must name the model file in it.`);
    // Waiting for a model is deliberate (ADR 0007): the log says so, so nobody mistakes the running process for a fault.
    expect(modelHelp(folder).at(-1)).toContain("This worker keeps running without transcribing: it looks for the file every 30 s");
  });

  it("warns about the synthetic random-weights test models, not about other model files", async () => {
    const synthetic = await modelStatus(path.join(MODELS, "ggml-micro-RANDOM-WEIGHTS-speaks.bin"));
    if (!synthetic.ok) throw new Error("the synthetic model is a ggml file");
    expect(modelWarning(synthetic)).toContain("ggml-micro-RANDOM-WEIGHTS-speaks.bin is a synthetic test model with random weights");
    const copy = path.join(tmp, "ggml-base-q5_1.bin");
    fs.copyFileSync(path.join(MODELS, "ggml-micro-RANDOM-WEIGHTS-eot.bin"), copy);
    const named = await modelStatus(copy);
    if (!named.ok) throw new Error("a ggml file");
    expect(modelWarning(named)).toBeNull();
  });
});
