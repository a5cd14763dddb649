// A server child process seen through /proc (Linux): current RSS, the peak since the last reset (writing 5 to
// clear_refs resets VmHWM), so a test can measure the peak growth during one upload, and CPU time used.
import fs from "node:fs";

/** The pid of this process's child whose command line contains `marker` (e.g. the app server script). */
export function childPid(marker: string): number {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no child process of ${process.pid} runs ${marker}`);
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`${field} missing in /proc/${pid}/status`);
  return Number(line.split(/\s+/)[1]);
}

export const rssBytes = (pid: number) => statusKb(pid, "VmRSS") * 1024;
export const peakRssBytes = (pid: number) => statusKb(pid, "VmHWM") * 1024;

/** Starts a measurement: resets the peak and returns a function giving the peak growth in bytes since. */
export function measurePeakGrowth(pid: number): () => number {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
  const base = rssBytes(pid);
  return () => peakRssBytes(pid) - base;
}

/** CPU time (user + system) the process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
