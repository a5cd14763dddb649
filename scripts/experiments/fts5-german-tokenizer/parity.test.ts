// The FTS5 tokenizer lw_german (beside this file) against the app's JavaScript normalization: FTS5, fed the
// raw text, must store exactly the tokens of tokenize() in normalize.ts, in order, at the words' places.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildTokenizer } from "./build.ts";
import { loadTokenizer } from "./load.ts";
import { normalizeWord, tokenize } from "../../../search/text/normalize.ts";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "interviews");

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function tokenizerDb(file = ":memory:"): Database.Database {
  const db = new Database(file);
  open.push(db);
  loadTokenizer(db);
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS t USING fts5(text, tokenize='lw_german');
           CREATE VIRTUAL TABLE IF NOT EXISTS t_vocab USING fts5vocab(t, 'instance');`);
  return db;
}

/** The tokens FTS5 stored for each text, in order (one row per text). */
function ftsTokens(texts: string[]): string[][] {
  const db = tokenizerDb();
  const insert = db.prepare("INSERT INTO t(rowid, text) VALUES (?, ?)");
  db.transaction(() => texts.forEach((text, i) => insert.run(i + 1, text)))();
  const out: string[][] = texts.map(() => []);
  for (const row of db.prepare("SELECT doc, term FROM t_vocab ORDER BY doc, offset").iterate() as Iterable<{ doc: number; term: string }>) {
    out[row.doc - 1]!.push(row.term);
  }
  return out;
}

/** Texts whose FTS5 tokens differ from normalize.ts's, with both (the first few). */
function mismatches(texts: string[]) {
  const fts = ftsTokens(texts);
  const out: { text: string; fts: string[]; js: string[] }[] = [];
  texts.forEach((text, i) => {
    const js = tokenize(text).map((t) => t.token);
    if (JSON.stringify(js) !== JSON.stringify(fts[i])) out.push({ text: text.slice(0, 300), fts: fts[i]!, js });
  });
  return out.slice(0, 5);
}

// ---- texts -----------------------------------------------------------------------------------------------------

function fixtureTexts(): string[] {
  const files = fs.readdirSync(FIXTURES).filter((f) => /\.(txt|vtt|json|yaml|md)$/.test(f));
  const srcDir = path.join(FIXTURES, "src");
  const texts = [
    ...files.map((f) => fs.readFileSync(path.join(FIXTURES, f), "utf8")),
    ...fs.readdirSync(srcDir).map((f) => fs.readFileSync(path.join(srcDir, f), "utf8")),
  ];
  // The transcripts' paragraphs too, the unit the app indexes.
  const paragraphs = files.filter((f) => f.endsWith(".txt")).flatMap((f) => fs.readFileSync(path.join(FIXTURES, f), "utf8").split(/\n\s*\n/));
  return [...texts, ...paragraphs];
}

const GERMAN = [
  "Prüfung Pruefung PRÜFUNGEN Prüfungen prüfen geprüft Kenntnisprüfung Fachsprachprüfung",
  "Straße STRASSE Strasse Straßen Größe Groesse GRÖSSE Fuß Füße Maß Maße",
  "Quelle Quellen Quäker Qualität quer Bauer Feuer Mauer Steuer Steuern Bayern Mayer Kuyu Eyes",
  "Ausbildungen Ausbildung ausbilden Ausbildungsplatz Anerkennung anerkannt Anerkennungen Arbeitgeber",
  "bedürfnissen Bedürfnis Häuser Häusern Äckern armes aufeinanderfolgenden eigentlichkeit Öffentlichkeit",
  "Müller Mueller Schlüssel Übersetzung übersetzen Ärztin Aerztin Zeugnisse Zeugnissen Kenntnisse",
  "möglich Möglichkeit Möglichkeiten fröhlich Freiheit Einsamkeit schwierig Schwierigkeiten Lehrerin häufig",
  "lustig Lustigkeit heutig ehrlich Ehrlichkeit herrlich Herrlichkeit Wohnung Wohnungssuche Niederlassungserlaubnis",
  "kleinste schönste beste erst ernst Herbst Angst Dienst Kunst wüst Durst Gast Gäste",
  "Erstaufnahme Aufnahmegerät Integrationsmanagements Familiennachzug Integrationsbeirat Deutschkurs",
  "qu qua quu aue aeue oeoe uee ueu auau eiu yuy uyu",
];
const OTHER_SCRIPTS = [
  "سَلامٌ عَلَيْكُم كِتَـــاب أحمد إبراهيم آمنة ٱلله مصطفى عربيّ الْقُرْآن",
  "فارسی کتاب یک کودک ی ك ی ۱۲۳۴ ١٢٣٤ ٣ابواب عربي١٢ ٠٩ ۰۹",
  "Ελληνικά ΑΘΗΝΑ Σωκράτης ΟΔΟΣ όσος ἀρχή Ϊ ΐ",
  "Привет Ёлка йогурт Москва Й й ЁЖ",
  "日本語のテキスト 中文 한국어 ひらがな カタカナ ｶﾀｶﾅ",
  "Hallo😀Welt 👍🏽 Familie👨‍👩‍👧 ok ✓ ★ ∑ €100 100€",
  "ﬁnden Ofﬁzier ﬀ ﬂ ﬆ ﬃ ǆ Ǆ ǅ ĳ Ĳssel ŉ",
  "ＡＢＣ ｐｒüｆｕｎｇ １２３ Ａｕｓｂｉｌｄｕｎｇｅｎ",
  "x² m³ 10⁵ H₂O ¹²³ ª º µ ½ ¼ Ⅻ ⅻ ℃ № ™ ℌ ℕ",
  "İstanbul ıslak Şişli ğ Łódź Gdańsk żółć Ærø Øresund Þór Smørrebrød ð ſchön",
  "e\u0301cole cafe\u0301 A\u030Angström u\u0308ber \u0301start a\u0301\u0301 n\u0303 Prü\u0308fung",
  "Prü\u00ADfung Prü\u200Dfung Prü\u200Cfung Prü\u00A0fung ab\u2060cd",
  "abc\uD800def \uDC00 x\uFFFDy",
];
const SHAPES = [
  "B1 C1 A2 E-Mail e-mail 2000er 3D 1990ern 2014 11. März 1986 0049-761 3,5 100000000000",
  "it's don’t Ku'damm O'Brien l'été d’Alembert",
  "a".repeat(70),
  `${"x".repeat(300)}ungen ${"ae".repeat(50)} ${"ü".repeat(80)} ${"1".repeat(100)} ${"Ab".repeat(61)}`,
  "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalten",
  "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetze Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnungen",
  `${"ب".repeat(80)} ${"α".repeat(70)} ${"é".repeat(59)}x ${"日".repeat(65)} ${"😀".repeat(40)}`,
  "",
  "... --- !!! ??? ,,,",
  "   \t\n  ",
];

/** A generator with a fixed seed (mulberry32), so a failure can be reproduced. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words from a mixed alphabet: mostly the fast path's characters, with everything that must leave it. */
function mixedTexts(count: number, wordsPerText: number): string[] {
  const rand = random(7);
  const pick = (s: string) => {
    const chars = [...s];
    return chars[Math.floor(rand() * chars.length)]!;
  };
  const groups: [number, string][] = [
    [30, "abcdefghijklmnopqrstuvwxyzaeiouaeiouäöüß"],
    [8, "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"],
    [6, "0123456789"],
    [6, "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"],
    [4, "ĀāĂăĄąĆćČčĎďĐđĘęĚěĞğĲĳİıŁłŃńŇňŒœŘřŚśŞşŠšŤťŮůŰűŸŹźŻżŽžſƀƒǅǆǈǉǊǌǰȘșȚțɐɑʼ"],
    [2, "\u0300\u0301\u0302\u0303\u0308\u030A\u0327\u0328\u0651\u064B\u0670"],
    [3, "ابتثجحخدذرسشصضطظعغفقكلمنهوي"],
    [2, "أإآٱىیکـ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"],
    [2, "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΑΒΓΣΩΆ"],
    [1, "абвгдеёжзийклмнопрстуфхцчшщъыьэюяЁЖ"],
    [1, "ªºµ¹²³¼ﬁﬂＡｚ１"],
    [2, ".,;:-'’\"!?()_/·\u00AD\u00A0"],
  ];
  const total = groups.reduce((sum, [w]) => sum + w, 0);
  const char = () => {
    let x = rand() * total;
    for (const [w, s] of groups) if ((x -= w) < 0) return pick(s);
    return "a";
  };
  const separators = [" ", " ", " ", ", ", ". ", "-", "'", "\n", "\t", "😀", "_", " – "];
  return Array.from({ length: count }, () => {
    let text = "";
    for (let i = 0; i < wordsPerText; i++) {
      const n = 1 + Math.floor(rand() * 14);
      for (let j = 0; j < n; j++) text += char();
      text += separators[Math.floor(rand() * separators.length)];
    }
    return text;
  });
}

/** German-like words built to reach every step of the stemmer (its suffixes, ae/oe/ue, u/y between vowels). */
function germanLikeTexts(count: number, wordsPerText: number): string[] {
  const rand = random(11);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const onsets = ["", "b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "qu", "r", "s", "t", "w", "z", "sch", "st", "br", "pf", "y"];
  const vowels = ["a", "e", "i", "o", "u", "y", "ä", "ö", "ü", "ae", "oe", "ue", "ei", "au", "eu", "ie", "aue", "aye", "uu"];
  const codas = ["", "n", "r", "l", "t", "ch", "st", "nd", "ng", "ck", "ß", "ss", "niss", "s", "b", "d", "g"];
  const endings = ["", "e", "em", "en", "er", "ern", "es", "s", "est", "st", "end", "ung", "ungen", "isch", "ig", "ik", "lich", "heit", "keit", "lichkeit", "igkeit", "igend", "igung", "erlich", "enheit", "nissen", "ende", "ender"];
  return Array.from({ length: count }, () => {
    const words: string[] = [];
    for (let i = 0; i < wordsPerText; i++) {
      let w = "";
      const syllables = 1 + Math.floor(rand() * 4);
      for (let s = 0; s < syllables; s++) w += pick(onsets) + pick(vowels) + pick(codas);
      w += pick(endings);
      words.push(rand() < 0.3 ? w.toUpperCase() : rand() < 0.3 ? w[0]!.toUpperCase() + w.slice(1) : w);
    }
    return words.join(" ");
  });
}

// ---- tests -----------------------------------------------------------------------------------------------------

describe("lw_german indexes exactly the tokens of normalize.ts", () => {
  it("on the fixture transcripts", () => {
    const texts = fixtureTexts();
    expect(texts.length).toBeGreaterThan(50); // ../shared/fixtures must be beside the clone
    expect(mismatches(texts)).toEqual([]);
  });

  it("on German words, other scripts, NFKC cases, long words, digits and marks", () => {
    expect(mismatches([...GERMAN, ...OTHER_SCRIPTS, ...SHAPES])).toEqual([]);
    // Each word alone too: a word's token must not depend on its neighbours or on the cache.
    const words = [...GERMAN, ...OTHER_SCRIPTS, ...SHAPES].flatMap((t) => t.split(/\s+/)).filter(Boolean);
    expect(mismatches(words)).toEqual([]);
  });

  it("on thousands of random words from a mixed alphabet", () => {
    const texts = mixedTexts(400, 50);
    expect(mismatches(texts)).toEqual([]);
  });

  it("on thousands of German-like words that exercise every stemmer step", () => {
    const texts = germanLikeTexts(400, 60);
    const distinct = new Set(texts.flatMap((t) => tokenize(t).map((x) => x.token)));
    expect(distinct.size).toBeGreaterThan(10_000);
    expect(mismatches(texts)).toEqual([]);
  });

  it("hands FTS5 each word's place, so highlight() marks the original words", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lw-german-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const texts = ["Die Prüfungen, die PRUEFUNG und Prüfung.", "سَلام، سلام! كِتَـــاب", "Straße/strasse; ﬁnden-Finden", `${"x".repeat(80)} xx`];
    const writer = tokenizerDb(path.join(dir, "index.db"));
    const insert = writer.prepare("INSERT INTO t(rowid, text) VALUES (?, ?)");
    texts.forEach((text, i) => insert.run(i + 1, text));
    writer.close();
    // A new connection, so highlight() tokenizes (aux mode) with an empty cache: the JavaScript path runs inside
    // a SELECT too.
    const db = tokenizerDb(path.join(dir, "index.db"));
    const highlight = db.prepare("SELECT highlight(t, 0, '[', ']') AS h FROM t WHERE rowid = ? AND t MATCH ?").pluck();
    texts.forEach((text, i) => {
      const tokens = tokenize(text);
      for (const token of new Set(tokens.map((t) => t.token))) {
        let expected = text;
        for (const t of [...tokens].reverse()) {
          if (t.token === token) expected = `${expected.slice(0, t.start)}[${expected.slice(t.start, t.end)}]${expected.slice(t.end)}`;
        }
        expect(highlight.get(i + 1, `"${token}"`)).toBe(expected);
      }
    });
  });

  it("removes a deleted row's tokens (FTS5 tokenizes the old text again)", () => {
    const db = tokenizerDb();
    db.prepare("INSERT INTO t(rowid, text) VALUES (1, ?)").run("Prüfungen سلام Ελληνικά");
    db.prepare("DELETE FROM t WHERE rowid = 1").run();
    expect(db.prepare("SELECT count(*) FROM t_vocab").pluck().get()).toBe(0);
    db.exec("INSERT INTO t(t) VALUES ('integrity-check')");
  });
});

describe("lw_german in queries", () => {
  const rows = ["Die Prüfung war schwer", "Die Pruefung war leicht", "Ausbildungen und PRÜFUNGEN", "Ausbildung zum Elektroniker", "Kenntnisprüfung bestanden", "سَلام عليكم"];
  const match = (db: Database.Database, query: string) =>
    db.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid").pluck().all(query);
  function queryDb() {
    const db = tokenizerDb();
    const insert = db.prepare("INSERT INTO t(rowid, text) VALUES (?, ?)");
    rows.forEach((text, i) => insert.run(i + 1, text));
    return db;
  }

  it("passes normalized tokens through: a word finds its other spellings and inflections", () => {
    const db = queryDb();
    expect(match(db, `"${normalizeWord("Prüfung")}"`)).toEqual([1, 2, 3]);
    expect(match(db, `"${normalizeWord("سلام")}"`)).toEqual([6]);
  });

  it("keeps prefixes and phrases", () => {
    const db = queryDb();
    expect(match(db, `"ausbild"*`)).toEqual([3, 4]);
    expect(match(db, `"${normalizeWord("die")} ${normalizeWord("Pruefung")}"`)).toEqual([1, 2]);
    expect(match(db, `"${normalizeWord("Prüfung")} ${normalizeWord("war")} ${normalizeWord("leicht")}"`)).toEqual([2]);
  });

  it("does not fold or stem a query term (the app sends tokens)", () => {
    const db = queryDb();
    expect(match(db, `"Prüfung"`)).toEqual([]);
    expect(match(db, `"prufungen"`)).toEqual([]);
  });
});

describe("lw_german without the app", () => {
  it("refuses to load where lw_normalize_word is not registered, naming it", () => {
    const db = new Database(":memory:");
    open.push(db);
    expect(() => db.loadExtension(buildTokenizer())).toThrow(/lw_normalize_word\(word\) is not registered/);
    // So no table can use it: nothing gets indexed with other tokens than the app's.
    expect(() => {
      db.exec("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='lw_german')");
      db.prepare("INSERT INTO t(text) VALUES ('abc')").run();
    }).toThrow(/no such tokenizer: lw_german/);
  });

  it("fails the statement when the JavaScript normalization fails, and indexes nothing of it", () => {
    const db = new Database(":memory:");
    open.push(db);
    db.function("lw_normalize_word", (word: string) => {
      throw new Error(`cannot normalize ${word}`);
    });
    db.loadExtension(buildTokenizer());
    db.exec("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='lw_german')");
    db.prepare("INSERT INTO t(text) VALUES (?)").run("Prüfung und Ausbildung"); // the fast path alone
    expect(() => db.prepare("INSERT INTO t(text) VALUES (?)").run("Prüfung سلام")).toThrow(/cannot normalize سلام/);
    expect(db.prepare("SELECT count(*) FROM t").pluck().get()).toBe(1);
  });

  it("takes no options (each would index other tokens)", () => {
    const db = new Database(":memory:");
    open.push(db);
    loadTokenizer(db);
    expect(() => {
      db.exec("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='lw_german remove_diacritics 0')");
      db.prepare("INSERT INTO t(text) VALUES ('abc')").run();
    }).toThrow(/error in tokenizer constructor/);
  });
});

describe("buildTokenizer", () => {
  it("does not compile again while the extension is newer than its sources", () => {
    const first = buildTokenizer();
    const built = fs.statSync(first).mtimeMs;
    const second = buildTokenizer();
    expect(second).toBe(first);
    expect(fs.statSync(second).mtimeMs).toBe(built);
  });
});
