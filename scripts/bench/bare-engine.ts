// Benchmark part (a): the bare smart-whisper call, nothing around it. The PCM is decoded and the model loaded
// before the clock starts. Prints one JSON line. Used by scripts/bench/transcribe.ts.
import fs from "node:fs";
import os from "node:os";
import { TranscribeTask, WhisperModel, WhisperSamplingStrategy } from "smart-whisper";

const [modelPath, pcmPath, threads = "1", language = "auto", beam = "5", nice = "0"] = process.argv.slice(2);
if (!modelPath || !pcmPath) throw new Error("usage: bare-engine.ts MODEL PCM [threads] [language] [beam] [nice]");
os.setPriority(0, Math.max(os.getPriority(0), Number(nice)));
const bytes = fs.readFileSync(pcmPath);
const pcm = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const model = await WhisperModel.load(modelPath, false);
const beamSize = Number(beam);
const started = process.hrtime.bigint();
const task = await TranscribeTask.run<"detail", true>(model, pcm, {
  language,
  n_threads: Number(threads),
  strategy: beamSize > 1 ? WhisperSamplingStrategy.WHISPER_SAMPLING_BEAM_SEARCH : WhisperSamplingStrategy.WHISPER_SAMPLING_GREEDY,
  beam_size: beamSize,
  format: "detail",
  token_timestamps: true,
});
const result = await task.result;
const ms = Number(process.hrtime.bigint() - started) / 1e6;
await model.free();
console.log(JSON.stringify({ ms, segments: result.length, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
