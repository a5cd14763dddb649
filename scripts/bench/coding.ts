// npm run bench:coding [-- --opens 7 --applies 21 --interviews 1000 --queries 15 --saves 15]
// A fresh SQLite database with the demo district and the seeded codebook, then:
//  (a) a 2-hour transcript (1,500 turns, ~18,000 words of German-like text) with 1,000 codings, opened in Chromium
//      (playwright-core, Debian's headless shell as in the browser tests) through the real server: from navigation
//      start to an editable transcript with every coding shown (highlights, stripes, the panel's count), median/p95
//      over several opens;
//  (b) applying a code (picker, Enter) until the coding is saved (the server's answer is in the text and the panel);
//  (c) the coded-segment retrieval (findCodedSegments, app/retrieval/segments.server.ts) over 1,000 interviews with
//      codings, for a few typical filters;
//  (d) saving the 2-hour transcript with one word corrected, as the editor's autosave does (saveTranscript: version
//      check, paragraphs, version row, codings following the text, search index, audit; one transaction).
// Targets: open < 1 s, apply < 100 ms, retrieval < 200 ms. Figures on the way; the last line is one JSON object.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import { parseArgs } from "node:util";
import { buildApp, startServer } from "./server.ts";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..", "..");
const { values: args } = parseArgs({
  options: {
    opens: { type: "string", default: "7" },
    applies: { type: "string", default: "21" },
    interviews: { type: "string", default: "1000" },
    queries: { type: "string", default: "15" },
    turns: { type: "string", default: "1500" },
    words: { type: "string", default: "18000" },
    codings: { type: "string", default: "1000" },
    saves: { type: "string", default: "15" },
  },
});
const OPENS = Number(args.opens);
const APPLIES = Number(args.applies);
const INTERVIEWS = Number(args.interviews);
const QUERIES = Number(args.queries);
const TURNS = Number(args.turns);
const WORDS = Number(args.words);
const CODINGS = Number(args.codings);
const SAVES = Number(args.saves);
const say = (line: string) => console.log(`▶ ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))] ?? NaN;
};
const stats = (xs: number[]) => ({ median: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), n: xs.length });
const round = (x: number) => Math.round(x * 10) / 10;

// ---- German-like text, deterministic ----------------------------------------------------------------------------
let seed = 20261129;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
const COMMON = ["und", "ich", "die", "der", "das", "nicht", "sie", "es", "wir", "ein", "mit", "auf", "dann", "aber", "war", "habe", "hat", "auch", "noch", "sehr", "mein", "für", "nach", "über", "wie", "schon", "man", "dass", "wenn", "weil"];
const STEMS = ["arbeit", "schul", "sprach", "prüf", "wohn", "famil", "kind", "amt", "kurs", "nachbar", "zeit", "anerkenn", "ausbild", "gemeind", "heimat", "brief", "termin", "zukunft", "freund", "verein", "stadt", "dorf", "bescheid", "zeugnis", "übersetz", "förder", "behörd", "größ", "müh", "glück"];
const ENDINGS = ["", "en", "ung", "e", "er", "ten", "lich", "heit", "keit", "ungen", "st", "t"];
function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const w = random() < 0.45 ? pick(COMMON) : pick(STEMS) + pick(ENDINGS);
    out.push(i === 0 || random() < 0.12 ? w[0]!.toUpperCase() + w.slice(1) : w);
  }
  return `${out.join(" ")}${pick([".", ".", ".", "?", ","])}`;
}
function turnText(words: number): string {
  const parts: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, 4 + Math.floor(random() * 10));
    parts.push(sentence(n));
    left -= n;
  }
  return parts.join(" ");
}

// ---- the app: fresh database, demo district, codebook ------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-bench-coding-"));
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.TEST_TMP_DIR = work;
process.env.STORAGE = "local";
process.env.STORAGE_DIR = path.join(work, "storage");
const { createTestDatabase } = await import("../../tests/support/db.ts");
process.env.DATABASE_URL = await createTestDatabase();
const { db } = await import("../../app/db/client.server.ts");
const { seedReference } = await import("../../prisma/seed/reference.ts");
const { seedDemo, DEMO_USERS } = await import("../../prisma/seed/demo.ts");
const { writeText } = await import("../../app/transcripts/formats/text.ts");
const { OffsetMap } = await import("../../app/coding/anchoring.ts");
type Paragraph = import("../../app/transcripts/formats/types.ts").Paragraph;
await seedReference(db);
await seedDemo(db, { cases: 60 });
const researcher = await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true, username: true, displayName: true } });
const codes = await db.code.findMany({ where: { parentId: { not: null } }, select: { id: true, key: true } });
if (!codes.length) throw new Error("the codebook is empty: prisma/seed/codebook.ts did not run");
const cases = await db.case.findMany({ select: { id: true }, orderBy: { pseudonym: "asc" } });

/** An interview with full consent, a transcript of `paragraphs` and `codingCount` codings on random passages. */
async function createInterview(code: string, caseId: string, date: Date, paragraphs: Paragraph[], codingCount: number) {
  const interview = await db.interview.create({
    data: {
      code,
      caseId,
      date,
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      interviewerId: researcher.id,
      consents: {
        create: {
          version: 1,
          givenBy: "person",
          givenAt: date,
          takenById: researcher.id,
          form: "written",
          language: "de",
          infoSheetVersion: "2025-01",
          scopeRecording: true,
          scopeTranscription: true,
          scopeAnalysis: true,
          scopeLinking: true,
          scopeQuotation: true,
          scopeSpecialCategories: true,
        },
      },
    },
    select: { id: true },
  });
  const transcript = await db.transcript.create({ data: { interviewId: interview.id, source: "import", version: 1 }, select: { id: true } });
  await db.transcriptParagraph.createMany({ data: paragraphs.map((p, position) => ({ transcriptId: transcript.id, position, speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text })) });
  // Passages of 3-40 words inside a turn (a few running into the next one), as the plain text counts them.
  const text = new OffsetMap(writeText(paragraphs));
  // words of the turns' texts only (not the speaker labels and timestamps around them)
  const words: { start: number; end: number }[] = [];
  let offset = 0;
  paragraphs.forEach((p) => {
    const layout = writeText([p]);
    const at = text.text.indexOf(layout.slice(0, -1), offset);
    const textAt = at + layout.indexOf(p.text);
    for (const m of p.text.matchAll(/[\p{L}\p{N}]+/gu)) words.push({ start: text.toCodePoint(textAt + m.index!), end: text.toCodePoint(textAt + m.index! + m[0].length) });
    offset = at + layout.length - 1;
  });
  const rows = [];
  for (let i = 0; i < codingCount; i++) {
    const first = Math.floor(random() * (words.length - 45));
    const last = first + 2 + Math.floor(random() * 38);
    const start = words[first]!.start;
    const end = words[last]!.end;
    rows.push({ transcriptId: transcript.id, interviewId: interview.id, codeId: pick(codes).id, start, end, quote: text.slice(start, end), createdById: researcher.id });
  }
  for (let i = 0; i < rows.length; i += 500) await db.coding.createMany({ data: rows.slice(i, i + 500) });
  return interview.id;
}

function transcriptOf(turns: number, words: number, turnMs: number): Paragraph[] {
  const per = words / turns;
  const paragraphs: Paragraph[] = [];
  let at = 0;
  for (let i = 0; i < turns; i++) {
    const n = Math.max(1, Math.round(per * (0.4 + random() * 1.2)));
    paragraphs.push({ speaker: i % 2 ? "B" : "I", startMs: at, endMs: at + turnMs, text: turnText(n) });
    at += turnMs;
  }
  return paragraphs;
}

let started = Date.now();
const bigParagraphs = transcriptOf(TURNS, WORDS, Math.round((2 * 3600_000) / TURNS));
const bigWords = bigParagraphs.reduce((n, p) => n + p.text.split(" ").length, 0);
const bigId = await createInterview("INT-2026-9999", cases[0]!.id, new Date("2025-06-01T10:00:00Z"), bigParagraphs, CODINGS);
say(`2-hour transcript: ${TURNS} turns, ${bigWords} words, ${CODINGS} codings (${((Date.now() - started) / 1000).toFixed(1)} s to create)`);

started = Date.now();
for (let i = 0; i < INTERVIEWS - 1; i++) {
  const date = new Date(Date.UTC(2022 + (i % 4), i % 12, 1 + (i % 27), 10));
  await createInterview(`INT-2026-${String(i + 1).padStart(4, "0")}`, cases[i % cases.length]!.id, date, transcriptOf(30, 360, 14_000), 20);
}
const codingTotal = await db.coding.count();
say(`retrieval data: ${INTERVIEWS} interviews on ${cases.length} cases, ${codingTotal} codings (${((Date.now() - started) / 1000).toFixed(1)} s to create)`);

// ---- (c) retrieval, in this process against the same database ----------------------------------------------------
// In-process calls (retrieval, autosave) act as the demo researcher.
const researcherGrant = { user: { ...researcher, locale: "de", roles: ["researcher" as const], municipalityIds: [], sessionId: "bench", csrfToken: "bench" }, access: "any" as const };
let retrieval: Record<string, ReturnType<typeof stats>> | { skipped: string } = { skipped: "app/retrieval/segments.server.ts not found" };
if (fs.existsSync(path.join(root, "app", "retrieval", "segments.server.ts"))) {
  const { findCodedSegments } = await import("../../app/retrieval/segments.server.ts");
  const byKey = async (key: string) => (await db.code.findUniqueOrThrow({ where: { key }, select: { id: true } })).id;
  // the municipality of the first case (its interviews are among the 1,000)
  const municipality = (await db.case.findUniqueOrThrow({ where: { id: cases[0]!.id }, select: { municipalityId: true } })).municipalityId;
  const base = { codeIds: [] as string[], mode: "or" as const, subcodes: true, municipalityIds: [] as string[], groups: [] as string[], ageBand: null, indicators: [] as { code: "S.DTNIV"; value: string }[], interview: null, speaker: null, speakerLabel: null, authorId: null, page: 1 };
  const filters = {
    "one code (KUL.SPR)": { ...base, codeIds: [await byKey("KUL.SPR")] },
    "dimension STR with sub-codes + municipality": { ...base, codeIds: [await byKey("STR")], municipalityIds: [municipality] },
    "two codes, and (overlap)": { ...base, codeIds: [await byKey("KUL.SPR"), await byKey("STR.ARB")], mode: "and" as const },
    "German level B1 at the interview date": { ...base, codeIds: [await byKey("KUL")], indicators: [{ code: "S.DTNIV" as const, value: "B1" }] },
    "every code, page 40": { ...base, page: 40 },
  };
  retrieval = {};
  for (const [name, f] of Object.entries(filters)) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < QUERIES + 1; i++) {
      const t = process.hrtime.bigint();
      const result = await findCodedSegments(researcherGrant, f);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (i > 0) times.push(ms); // the first run warms the caches
      total = result.total;
    }
    retrieval[name] = stats(times);
    say(`retrieval "${name}": ${total} segments, median ${retrieval[name]!.median} ms, p95 ${retrieval[name]!.p95} ms`);
  }
} else {
  say("retrieval: app/retrieval/segments.server.ts is not there yet; skipped");
}

// ---- the server and the browser ---------------------------------------------------------------------------------
buildApp();
const { server, origin, output: serverOutput } = await startServer({ TRANSCRIPTION_WORKER: "off" });
for (let i = 0; ; i++) {
  if (i > 300) throw new Error(`server did not start:\n${serverOutput()}`);
  try {
    if ((await fetch(`${origin}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  await sleep(100);
}

const { launchBrowser, loginInBrowser } = await import("../../tests/e2e/support/browser.ts");
const browser = await launchBrowser();
const context = await browser.newContext({ baseURL: origin, locale: "de-DE", viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const pageErrors: string[] = [];
page.on("pageerror", (e) => pageErrors.push(e.message));
await loginInBrowser(page, "forschung", DEMO_USERS.find((u) => u.username === "forschung")!.password);
const transcriptUrl = `/interviews/${bigId}/transcript`;

// (a) open: ms from navigation start (performance.timeOrigin) until the text is editable and every coding is shown.
const opens: number[] = [];
for (let i = 0; i < OPENS + 1; i++) {
  await page.goto(transcriptUrl, { waitUntil: "commit" });
  const ms = await page.waitForFunction(
    (count) => {
      const editor = document.querySelector('.ProseMirror[contenteditable="true"]');
      const status = document.querySelector(".coding-count")?.textContent ?? "";
      return editor && editor.querySelector(".coding-hl") && editor.querySelector(".coding-stripe") && status.startsWith(`${count} `) ? performance.now() : false;
    },
    CODINGS,
    { polling: "raf", timeout: 60_000 },
  );
  const value = (await ms.jsonValue()) as number;
  if (i > 0) opens.push(value); // the first open fills the browser's cache (scripts, styles), like any later visit
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    // (no named functions in here: tsx would wrap them in a helper the page does not have)
    const [create, created] = ["transcript:editor:create", "transcript:editor:created"].map((name) => performance.getEntriesByName(name, "mark").at(-1)?.startTime ?? NaN) as [number, number];
    return { response: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd, create, created };
  });
  say(`open ${i === 0 ? "(warm-up)" : i}: ${value.toFixed(0)} ms (HTML received ${nav.response.toFixed(0)} ms, DOMContentLoaded ${nav.dom.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms, editor created ${nav.create.toFixed(0)}-${nav.created.toFixed(0)} ms)`);
}
const counts = await page.evaluate(() => ({ turns: document.querySelectorAll(".ProseMirror .turn").length, highlights: new Set([...document.querySelectorAll(".ProseMirror .coding-hl")].map((e) => e.getAttribute("data-coding"))).size }));
say(`open: ${counts.turns} turns, ${counts.highlights} codings highlighted; median ${stats(opens).median} ms, p95 ${stats(opens).p95} ms`);

// (b) apply: select a passage, Ctrl+K, type a code key; time from Enter until the coding is saved and shown.
const applies: number[] = [];
// the server's share: request sent -> first byte of the answer, for each coding POST
const serverMs: number[] = [];
const phases: { prepare: number; request: number; update: number; paint: number; pendingShown: number; toServer: number; server: number; answerRead: number }[] = [];
page.on("requestfinished", (request) => {
  if (request.method() !== "POST" || !request.url().endsWith("/codings")) return;
  const timing = request.timing();
  serverMs.push(timing.responseStart - timing.requestStart);
});
const keys = ["SPR", "ARB", "BIL", "KON", "ZUK", "WOH", "NET"];
for (let i = 0; i < APPLIES + 1; i++) {
  const turn = 20 + i * 37;
  await page.evaluate((index) => {
    const el = document.querySelectorAll(".ProseMirror .turn .turn-text")[index]!;
    el.scrollIntoView({ block: "center" });
    (el.closest(".ProseMirror") as HTMLElement).focus();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const first = walker.nextNode() as Text;
    let last = first;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) last = n as Text;
    window.getSelection()!.setBaseAndExtent(first, 0, last, last.data.length);
  }, turn);
  await sleep(50); // the editor takes the selection on selectionchange
  await page.keyboard.press("Control+k");
  await page.getByRole("dialog", { name: "Codes zuordnen" }).waitFor();
  await page.keyboard.type(keys[i % keys.length]!);
  // Timed in the page: Enter (capture, before the picker acts) to the first DOM change where the coding is saved.
  await page.evaluate(() => {
    const w = window as unknown as { __apply: { start: number | null; end: number | null } };
    w.__apply = { start: null, end: null };
    // (no named functions in here: tsx would wrap them in a helper the page does not have)
    const observer = new MutationObserver(() => {
      const status = document.querySelector(".coding-message [role=status]")?.textContent ?? "";
      if (w.__apply.start !== null && !document.querySelector(".ProseMirror .coding-hl.is-pending") && status.startsWith("Code zugeordnet")) {
        w.__apply.end = performance.now();
        observer.disconnect();
      }
    });
    document.addEventListener(
      "keydown",
      (e) => {
        if (e.key !== "Enter" || w.__apply.start !== null) return;
        w.__apply.start = performance.now();
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      },
      { capture: true, once: true },
    );
  });
  await page.keyboard.press("Enter");
  const ms = await page
    .waitForFunction(
      () => {
        const { start, end } = (window as unknown as { __apply: { start: number | null; end: number | null } }).__apply;
        return start !== null && end !== null ? end - start : false;
      },
      undefined,
      { timeout: 30_000 },
    )
    .catch(async (error: Error) => {
      throw new Error(`apply ${i} did not finish; the panel says: ${await page.locator(".coding-message").textContent()}`, { cause: error });
    });
  const value = (await ms.jsonValue()) as number;
  if (i > 0) applies.push(value);
  const marks = await page.evaluate(() => {
    // (no named functions in here: tsx would wrap them in a helper the page does not have)
    const [send, pending, reply, shown] = ["coding:apply:send", "coding:apply:pending", "coding:apply:reply", "coding:apply:shown"].map((n) => performance.getEntriesByName(n, "mark").at(-1)?.startTime ?? NaN) as [number, number, number, number];
    const w = window as unknown as { __apply: { start: number; end: number } };
    // the POST as the browser's resource timing saw it: when it left, when the answer began and ended
    const post = performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/codings")).at(-1) as PerformanceResourceTiming | undefined;
    return {
      prepare: send - w.__apply.start,
      request: reply - send,
      update: shown - reply,
      paint: w.__apply.end - shown,
      pendingShown: pending - send,
      toServer: (post?.requestStart ?? NaN) - send,
      server: (post?.responseStart ?? NaN) - (post?.requestStart ?? NaN),
      answerRead: reply - (post?.responseEnd ?? NaN),
    };
  });
  if (i > 0) phases.push(marks);
}
const stored = await db.coding.count({ where: { interviewId: bigId } });
const serverShare = stats(serverMs.slice(1));
const phase = (k: keyof (typeof phases)[number]) => stats(phases.map((p) => p[k])).median;
say(`apply phases (median ms): Enter -> request sent ${phase("prepare")}, request ${phase("request")}, answer -> state ${phase("update")}, state -> shown ${phase("paint")}`);
say(`apply request (median ms): pending passage shown after ${phase("pendingShown")}, POST on the wire after ${phase("toServer")}, server ${phase("server")}, answer end -> read ${phase("answerRead")}`);
say(`apply: ${APPLIES} codes applied (warm-up not counted), ${stored} codings stored; median ${stats(applies).median} ms, p95 ${stats(applies).p95} ms (server: median ${serverShare.median} ms, p95 ${serverShare.p95} ms)`);

await browser.close();
server.kill("SIGTERM");

// (d) autosave of the 2-hour transcript: one word of one paragraph corrected per save (a different paragraph each
// time), in this process against the same database.
const { loadTranscript, saveTranscript } = await import("../../app/transcripts/transcripts.server.ts");
const saves: number[] = [];
for (let i = 0; i < SAVES + 1; i++) {
  const current = await loadTranscript(researcherGrant, bigId);
  if (!current) throw new Error("the 2-hour transcript is gone");
  const at = (i * 97) % current.paragraphs.length;
  const edited = current.paragraphs.map((p, k) => (k === at ? { ...p, text: p.text.replace(/\S+$/, `korrigiert${i}.`) } : p));
  const t = process.hrtime.bigint();
  const saved = await saveTranscript(null, researcherGrant, bigId, current.version, edited);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!saved.ok) throw new Error(`save ${i} refused: ${JSON.stringify(saved)}`);
  if (i > 0) saves.push(ms);
}
const saveStats = stats(saves);
say(`autosave of the 2-hour transcript (one word corrected): median ${saveStats.median} ms, p95 ${saveStats.p95} ms (${saves.length} saves)`);
if (pageErrors.length) say(`page errors: ${pageErrors.join(" | ")}`);
fs.rmSync(work, { recursive: true, force: true });

const openStats = stats(opens);
const applyStats = stats(applies);
const retrievalWorst = "skipped" in retrieval ? null : Math.max(...Object.values(retrieval).map((s) => s.p95));
const result = {
  bench: "coding",
  transcript: { turns: TURNS, words: bigWords, codings: CODINGS },
  openMs: openStats,
  applyMs: applyStats,
  applyServerMs: serverShare,
  saveMs: saveStats,
  retrieval: { interviews: INTERVIEWS, codings: codingTotal, queries: retrieval },
  targets: { openMs: 1000, applyMs: 100, retrievalMs: 200 },
  met: { open: openStats.p95 < 1000, apply: applyStats.p95 < 100, retrieval: retrievalWorst === null ? null : retrievalWorst < 200 },
  cpus: os.cpus().length,
};
console.log(JSON.stringify(result));
process.exit(0);
