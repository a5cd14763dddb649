// The recording's waveform: peaks from the server drawn on a canvas, the played part in the accent colour.
// A slider for keyboard and screen readers (position in words), click to seek.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Peaks } from "../peaks.ts";
import { formatClockShort } from "./timing.ts";

type Props = { recordingId: string; durationMs: number | null; currentMs: number; onSeek: (ms: number) => void; stepMs: number };

export function Waveform({ recordingId, durationMs, currentMs, onSeek, stepMs }: Props) {
  const { t } = useTranslation("transcripts");
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setPeaks(null);
    setFailed(false);
    fetch(`/recordings/${encodeURIComponent(recordingId)}/peaks`, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? (res.json() as Promise<Peaks>) : Promise.reject(new Error(String(res.status)))))
      .then(setPeaks)
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      });
    return () => controller.abort();
  }, [recordingId]);

  const total = durationMs || peaks?.durationMs || 0;

  useEffect(() => {
    const el = canvas.current;
    if (!el || !peaks) return;
    const ratio = window.devicePixelRatio || 1;
    const width = el.clientWidth * ratio;
    const height = el.clientHeight * ratio;
    if (el.width !== width) el.width = width;
    if (el.height !== height) el.height = height;
    const ctx = el.getContext("2d");
    if (!ctx) return;
    const style = getComputedStyle(el);
    const played = style.getPropertyValue("--wave-played").trim() || "#1f5f99";
    const rest = style.getPropertyValue("--wave-rest").trim() || "#9aa5b1";
    ctx.clearRect(0, 0, width, height);
    const bars = Math.max(1, Math.floor(width / (2 * ratio)));
    const per = peaks.peaks.length / bars;
    const progress = total ? currentMs / total : 0;
    for (let i = 0; i < bars; i++) {
      let v = 0;
      for (let j = Math.floor(i * per); j < Math.max(Math.floor((i + 1) * per), Math.floor(i * per) + 1) && j < peaks.peaks.length; j++) v = Math.max(v, peaks.peaks[j]!);
      const h = Math.max(1, (v / 100) * height);
      ctx.fillStyle = i / bars <= progress ? played : rest;
      ctx.fillRect(i * 2 * ratio, (height - h) / 2, ratio * 1.5, h);
    }
    // The playhead, so the position is not told by colour alone.
    ctx.fillStyle = style.getPropertyValue("--wave-head").trim() || "#111";
    ctx.fillRect(Math.min(width - 2 * ratio, progress * width), 0, 2 * ratio, height);
  }, [peaks, currentMs, total]);

  const seekTo = (ms: number) => onSeek(Math.max(0, Math.min(total, ms)));

  return (
    <div className="waveform">
      <canvas
        ref={canvas}
        role="slider"
        tabIndex={0}
        aria-label={t("player.waveform")}
        aria-valuemin={0}
        aria-valuemax={Math.round(total / 1000)}
        aria-valuenow={Math.round(currentMs / 1000)}
        aria-valuetext={t("player.position", { current: formatClockShort(currentMs), total: formatClockShort(total) })}
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          if (total) seekTo(((e.clientX - rect.left) / rect.width) * total);
        }}
        onKeyDown={(e) => {
          const moves: Record<string, number> = { ArrowLeft: -stepMs, ArrowDown: -stepMs, ArrowRight: stepMs, ArrowUp: stepMs, PageDown: -6 * stepMs, PageUp: 6 * stepMs };
          if (e.key in moves) seekTo(currentMs + moves[e.key]!);
          else if (e.key === "Home") seekTo(0);
          else if (e.key === "End") seekTo(total);
          else return;
          e.preventDefault();
        }}
      />
      {failed ? <p className="muted">{t("player.noWaveform")}</p> : !peaks ? <p className="muted">{t("player.loadingWaveform")}</p> : null}
    </div>
  );
}
