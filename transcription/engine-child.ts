// The speech engine's own process (started by engine.ts): whisper.cpp through smart-whisper. Living apart
// from the worker and the web server means a cancel is a kill and a crash in native code takes only this
// process down. Protocol over IPC: load -> loaded | error; transcribe -> result | error.
import { TranscribeTask, WhisperModel, WhisperSamplingStrategy } from "smart-whisper";
import type { EngineRequest, EngineResponse, EngineSegment } from "./engine.ts";
import { samplesToMs } from "./normalize.ts";
import { readPcm } from "./windows.ts";
import { wordsFromTokens, type RawToken } from "./tokens.ts";

let model: WhisperModel | null = null;

const send = (message: EngineResponse) => process.send?.(message);
const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;

/** The sample ranges of the file, one after the other (a window with its long pauses shortened). */
async function readSpans(file: string, spans: readonly [number, number][]): Promise<Float32Array> {
  const parts = await Promise.all(spans.map(([start, end]) => readPcm(file, start, end)));
  const pcm = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    pcm.set(part, at);
    at += part.length;
  }
  return pcm;
}

type Detail = { from: number; to: number; text: string; lang: string; tokens: RawToken[] };

async function handle(message: EngineRequest) {
  if (message.type === "load") {
    const started = Date.now();
    model = await WhisperModel.load(message.modelPath, false);
    send({ type: "loaded", ms: Date.now() - started, peakRssBytes: peakRssBytes() });
    return;
  }
  if (message.type === "transcribe") {
    if (!model) throw new Error("model not loaded");
    const pcm = await readSpans(message.pcmPath, message.spans);
    const windowMs = samplesToMs(pcm.length);
    const started = Date.now();
    const task = await TranscribeTask.run<"detail", true>(model, pcm, {
      language: message.language,
      n_threads: message.threads,
      strategy: message.beamSize > 1 ? WhisperSamplingStrategy.WHISPER_SAMPLING_BEAM_SEARCH : WhisperSamplingStrategy.WHISPER_SAMPLING_GREEDY,
      beam_size: message.beamSize,
      format: "detail",
      token_timestamps: true,
      ...(message.prompt ? { initial_prompt: message.prompt } : {}),
    });
    const results = (await task.result) as unknown as Detail[];
    // A partial window can make whisper place the last segment after the end of the audio: clamp.
    const clamp = (ms: number) => Math.min(windowMs, Math.max(0, Math.round(ms)));
    const segments: EngineSegment[] = results.map((r) => {
      const startMs = clamp(r.from);
      const endMs = Math.max(startMs, clamp(r.to));
      const text = r.text.trim();
      const words = wordsFromTokens(r.tokens ?? [], text).map((w) => ({ ...w, s: clamp(w.s), e: Math.max(clamp(w.s), clamp(w.e)) }));
      return { startMs, endMs, text, words };
    });
    send({ type: "result", id: message.id, lang: results[0]?.lang ?? null, segments, ms: Date.now() - started, peakRssBytes: peakRssBytes() });
  }
}

process.on("message", (message: EngineRequest) => {
  handle(message).catch((error: unknown) => {
    send({ type: "error", id: "id" in message ? message.id : null, message: error instanceof Error ? error.message : String(error) });
  });
});

// The worker went away (crash, SIGKILL): do not transcribe for nobody. SIGKILL, because process.exit() waits
// for the whisper call running on a native thread.
process.on("disconnect", () => process.kill(process.pid, "SIGKILL"));
send({ type: "ready" });
