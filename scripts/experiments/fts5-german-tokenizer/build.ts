// Builds the FTS5 tokenizer lw_german (lw_german.c beside this file) as a loadable SQLite extension and returns
// the path of the .so. The Unicode tables the C code needs are generated from the running Node, so the C side
// splits and folds words exactly as normalize.ts does on this Node (its regular expressions and String.prototype
// .normalize/.toLowerCase come from the same ICU). The FTS5 header comes from the SQLite amalgamation that
// better-sqlite3 bundles, so it matches the SQLite the app runs. Synchronous: it is called at process start.
// CLI: npx tsx scripts/experiments/fts5-german-tokenizer/build.ts [--force]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import url from "node:url";

const here = path.dirname(url.fileURLToPath(import.meta.url));

/** The project's root: found upwards, so this also works from a bundle that moved this module elsewhere. */
function projectRoot(): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "scripts", "experiments", "fts5-german-tokenizer", "lw_german.c"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`lw_german: scripts/experiments/fts5-german-tokenizer/lw_german.c not found above ${here}`);
  }
}

const root = projectRoot();
const dir = path.join(root, "scripts", "experiments", "fts5-german-tokenizer");
export const BUILD_DIR = path.join(dir, "build");
const SO = path.join(BUILD_DIR, "lw_german.so");
/** Which Node (so which Unicode) made the tables and which SQLite the header came from: either changing means
 *  another build (npm gives installed files a fixed mtime, so only a version shows a new better-sqlite3). */
const STAMP = path.join(BUILD_DIR, "lw_german.stamp");
/** A change in any of these makes the .so stale. */
const SOURCES = [
  path.join(dir, "lw_german.c"),
  path.join(dir, "build.ts"),
  path.join(root, "search", "text", "normalize.ts"),
  path.join(root, "search", "text", "german-stemmer.ts"),
];

/** Code points below this are looked up in one direct table (kind, ASCII fold, Latin or not). */
const FAST_LIMIT = 0x250; // end of Latin Extended-B

// The pieces of normalize.ts that decide a word's token, applied here to single characters.
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const HAS_LATIN = /\p{Script=Latin}/u;
const FOLDED = /^[a-z0-9]+$/;
const lower = (s: string) => s.normalize("NFKC").toLowerCase();
const foldLatin = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss").normalize("NFC");

function stamp(): string {
  const betterSqlite = JSON.parse(fs.readFileSync(path.join(packageDir("better-sqlite3"), "package.json"), "utf8")) as { version: string };
  return `node ${process.version} unicode ${process.versions.unicode} icu ${process.versions.icu} better-sqlite3 ${betterSqlite.version}\n`;
}

function packageDir(name: string): string {
  return path.dirname(createRequire(path.join(root, "package.json")).resolve(`${name}/package.json`));
}

export function buildTokenizer(options: { force?: boolean } = {}): string {
  if (!options.force && upToDate()) return SO;
  const started = new Date();
  const amalgamation = sqliteAmalgamation();
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  removeAbandonedWork();
  // A private folder and a rename: test workers and app processes may build at the same moment.
  const work = fs.mkdtempSync(path.join(BUILD_DIR, "tmp-"));
  try {
    fs.writeFileSync(path.join(work, "fts5.h"), extractFts5Header(path.join(amalgamation, "sqlite3.c")));
    fs.writeFileSync(path.join(work, "lw_german_tables.h"), generateTables());
    const out = path.join(work, "lw_german.so");
    compile(["-O2", "-Wall", "-Wextra", "-fPIC", "-shared", `-I${amalgamation}`, `-I${work}`, "-o", out, path.join(dir, "lw_german.c")]);
    fs.renameSync(path.join(work, "lw_german_tables.h"), path.join(BUILD_DIR, "lw_german_tables.h")); // to read, not used
    // Dated to the start: a source saved during the build is newer, so the next call builds again.
    fs.utimesSync(out, started, started);
    fs.renameSync(out, SO);
    fs.writeFileSync(path.join(work, "stamp"), stamp());
    fs.renameSync(path.join(work, "stamp"), STAMP);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return SO;
}

function upToDate(): boolean {
  try {
    if (fs.readFileSync(STAMP, "utf8") !== stamp()) return false;
    const built = fs.statSync(SO).mtimeMs;
    return SOURCES.every((file) => fs.statSync(file).mtimeMs < built);
  } catch {
    return false;
  }
}

/** Folders of builds that were killed (a finished or failed build removes its own). */
function removeAbandonedWork(): void {
  for (const name of fs.readdirSync(BUILD_DIR)) {
    const folder = path.join(BUILD_DIR, name);
    if (name.startsWith("tmp-") && Date.now() - fs.statSync(folder).mtimeMs > 3600_000) fs.rmSync(folder, { recursive: true, force: true });
  }
}

function sqliteAmalgamation(): string {
  const amalgamation = path.join(packageDir("better-sqlite3"), "deps", "sqlite3");
  if (!fs.existsSync(path.join(amalgamation, "sqlite3.c"))) throw new Error(`lw_german: the SQLite amalgamation is missing: ${amalgamation}/sqlite3.c`);
  return amalgamation;
}

/** fts5.h is not shipped on its own; the amalgamation holds it between two marker lines. */
function extractFts5Header(sqlite3c: string): string {
  const text = fs.readFileSync(sqlite3c, "utf8");
  const begin = /^\/\*+ Begin file fts5\.h \*+\/$/m.exec(text);
  const end = /^\/\*+ End of fts5\.h \*+\/$/m.exec(text);
  if (!begin || !end || end.index < begin.index) throw new Error(`lw_german: no fts5.h section in ${sqlite3c}`);
  return text.slice(begin.index + begin[0].length, end.index);
}

function compile(args: string[]): void {
  try {
    execFileSync("cc", args, { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === "ENOENT") {
      throw new Error("lw_german: no C compiler: `cc` is not on the PATH. The search index's tokenizer is built at start; install one (Debian: apt-get install -y gcc).");
    }
    throw new Error(`lw_german: cc failed:\n${err.stderr?.toString() ?? err.message}`);
  }
}

// ---- tables ----------------------------------------------------------------------------------------------------

type FastChar = { kind: 0 | 1 | 2; latin: boolean; fold: string };

/**
 * For each code point below FAST_LIMIT: not a word character (0), a word character whose token part is known
 * without the rest of the word (1: its NFKC lower-case Latin fold is plain [a-z0-9]), or any other word character
 * (2: the word goes to JavaScript).
 */
function fastChars(): FastChar[] {
  const out: FastChar[] = [];
  for (let cp = 0; cp < FAST_LIMIT; cp++) {
    const c = String.fromCodePoint(cp);
    if (!WORD_CHAR.test(c)) {
      out.push({ kind: 0, latin: false, fold: "" });
      continue;
    }
    const lowered = lower(c);
    const latin = HAS_LATIN.test(lowered);
    const fold = latin ? foldLatin(lowered) : lowered;
    // A non-Latin character (a digit, ¹) is not folded in a word without Latin letters, but is in one with them:
    // both must give the same.
    const fast = FOLDED.test(fold) && (latin || foldLatin(lowered) === lowered) && Buffer.byteLength(fold) <= Buffer.byteLength(c);
    out.push(fast ? { kind: 1, latin, fold } : { kind: 2, latin, fold: "" });
  }
  for (let cp = 0; cp < 0x80; cp++) {
    if (WORD_CHAR.test(String.fromCodePoint(cp)) !== (out[cp]!.kind === 1)) throw new Error(`lw_german: ASCII ${cp} is a word character that is not fast`);
  }
  checkConcatenation(out);
  return out;
}

/**
 * The C code folds a word character by character; that is right only if folding a pair equals folding each
 * (no composition or context across characters). Checked for every pair of fast characters.
 */
function checkConcatenation(table: FastChar[]): void {
  const fast = table.flatMap((t, cp) => (t.kind === 1 ? [String.fromCodePoint(cp)] : []));
  const fold = (s: string) => {
    const lowered = lower(s);
    return HAS_LATIN.test(lowered) ? foldLatin(lowered) : lowered;
  };
  for (const a of fast) {
    const fa = fold(a);
    for (const b of fast) {
      if (fold(a + b) !== fa + fold(b)) throw new Error(`lw_german: folding ${JSON.stringify(a + b)} is not folding each character`);
    }
  }
}

/** Word characters of the whole code space in 256-code-point blocks, identical blocks stored once. */
function wordBlocks(): { index: number[]; blocks: string[] } {
  const index: number[] = [];
  const blocks: string[] = [];
  const seen = new Map<string, number>();
  for (let block = 0; block < 0x110000 >> 8; block++) {
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 256; i++) {
      const cp = (block << 8) | i;
      const isSurrogate = cp >= 0xd800 && cp <= 0xdfff;
      if (!isSurrogate && WORD_CHAR.test(String.fromCodePoint(cp))) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7));
    }
    const key = bytes.join(",");
    let n = seen.get(key);
    if (n === undefined) {
      n = blocks.length;
      seen.set(key, n);
      blocks.push(key);
    }
    index.push(n);
  }
  return { index, blocks };
}

const cString = (s: string) => `"${[...s].map((c) => (/[a-z0-9]/.test(c) ? c : `\\x${c.charCodeAt(0).toString(16)}`)).join("")}"`;

function generateTables(): string {
  const fast = fastChars();
  const { index, blocks } = wordBlocks();
  const foldMax = Math.max(...fast.map((t) => t.fold.length));
  const lines = [
    `/* Generated by scripts/experiments/fts5-german-tokenizer/build.ts from ${stamp().trim()}. Do not edit. */`,
    `#define LW_FAST_LIMIT 0x${FAST_LIMIT.toString(16)}`,
    `#define LW_FOLD_MAX ${foldMax}`,
    `/* kind: 0 no word character, 1 folds on its own to fold[0..n), 2 word character for the JavaScript path */`,
    `typedef struct { unsigned char kind, latin, n; char fold[LW_FOLD_MAX + 1]; } LwFastChar;`,
    `static const LwFastChar lw_fast[LW_FAST_LIMIT] = {`,
    ...fast.map((t, cp) => `  {${t.kind}, ${t.latin ? 1 : 0}, ${t.fold.length}, ${cString(t.fold)}}, /* U+${cp.toString(16).padStart(4, "0")} */`),
    `};`,
    `/* The same for ASCII, as one byte: 0 no word character, else the folded byte */`,
    `static const unsigned char lw_ascii[128] = {`,
    ...chunk(fast.slice(0, 0x80).map((t) => (t.kind === 1 ? t.fold.charCodeAt(0) : 0)), 16).map((row) => `  ${row.join(",")},`),
    `};`,
    `/* /[\\p{L}\\p{N}\\p{M}]/u as bits: block lw_word_index[cp >> 8], bit cp & 255 */`,
    `static const unsigned short lw_word_index[${index.length}] = {`,
    ...chunk(index, 24).map((row) => `  ${row.join(",")},`),
    `};`,
    `static const unsigned char lw_word_bits[${blocks.length}][32] = {`,
    ...blocks.map((b) => `  {${b}},`),
    `};`,
    ``,
  ];
  return lines.join("\n");
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const so = buildTokenizer({ force: process.argv.includes("--force") });
  console.log(`${so} (${Date.now() - started} ms)`);
}
