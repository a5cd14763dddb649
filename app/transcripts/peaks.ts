// Waveform peaks as the peaks route sends them and the editor's waveform draws them.
export type Peaks = {
  /** milliseconds of audio per peak */
  bucketMs: number;
  durationMs: number;
  /** loudness per bucket, 0..100, scaled to the loudest bucket */
  peaks: number[];
};
