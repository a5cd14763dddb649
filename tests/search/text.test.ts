// Normalization (folding, German stemming, other scripts) and the query syntax, without a database.
import { germanStem } from "../../search/text/german-stemmer.ts";
import { indexText, normalizeWord, tokenize } from "../../search/text/normalize.ts";
import { asYouTypeQuery, parseQuery } from "../../search/query/parse.ts";
import { toFts5, toTsquery } from "../../search/query/compile.ts";
import { makeSnippet } from "../../search/snippet.ts";

describe("Snowball German stemmer", () => {
  it("gives the published examples", () => {
    // From the algorithm's description (snowballstem.org/algorithms/german/stemmer.html) and its vocabulary.
    expect(germanStem("bedürfnissen")).toBe("bedurfnis");
    expect(germanStem("äckern")).toBe("ack");
    expect(germanStem("armes")).toBe("arm");
    expect(germanStem("aufeinanderfolgenden")).toBe("aufeinanderfolg");
    expect(germanStem("häuser")).toBe("haus");
    expect(germanStem("ausbildungen")).toBe("ausbild");
    expect(germanStem("ausbildung")).toBe("ausbild");
    expect(germanStem("eigentlichkeit")).toBe("eigent");
  });
  it("reads ae, oe, ue as umlauts (not after q) and ß as ss", () => {
    expect(germanStem("pruefung")).toBe(germanStem("prüfung"));
    expect(germanStem("groesse")).toBe(germanStem("größe"));
    expect(germanStem("quelle")).toBe("quell");
    expect(germanStem("steuer")).toBe("steu"); // u between vowels stays a consonant
  });
  it("leaves short words alone", () => {
    expect(germanStem("an")).toBe("an");
    expect(germanStem("es")).toBe("es");
  });
});

describe("normalization", () => {
  it("folds case, umlauts and diacritics, then stems", () => {
    expect(normalizeWord("PRÜFUNGEN")).toBe(normalizeWord("Pruefung"));
    expect(normalizeWord("Café")).toBe(normalizeWord("cafe"));
    expect(normalizeWord("Straße")).toBe(normalizeWord("Strasse"));
  });
  it("keeps other scripts, without Arabic vowel marks, with one form of alef, yeh and kaf", () => {
    expect(normalizeWord("مَدْرَسَةٌ")).toBe("مدرسة");
    expect(normalizeWord("کتاب")).toBe(normalizeWord("كتاب"));
    expect(normalizeWord("أحمد")).toBe(normalizeWord("احمد"));
    expect(normalizeWord("ایران")).toBe(normalizeWord("ايران"));
    expect(normalizeWord("Σχολείο")).toBe("σχολειο");
    expect(normalizeWord("школа")).toBe("школа");
  });
  it("strips the Arabic article and its prefixed forms as light10 does, leaving short words alone", () => {
    for (const w of ["المدرسة", "والمدرسة", "بالمدرسة", "كالمدرسة", "فالمدرسة", "للمدرسة", "ومدرسة", "وللمدرسة", "مَدْرَسَةٌ"]) expect(normalizeWord(w), w).toBe("مدرسة");
    expect(normalizeWord("الأم")).toBe("ام"); // two letters may remain after an article
    // Too short to lose a prefix: و needs three letters behind it, an article two.
    for (const w of ["وقت", "ولد", "الم", "بال", "لله", "ال", "و"]) expect(normalizeWord(w), w).toBe(w);
    expect(normalizeWord("ال١٢")).toBe("ال12"); // not a word of letters
  });
  it("leaves Persian words whole (Persian has no article and writes its \"and\" apart)", () => {
    const words = ["الان", "البته", "الهام", "بالا", "بالاخره", "بالاتر", "الگو", "الکترونیک", "کالا", "والدین", "ورود", "وارد", "وجود", "واقعا", "وزارت", "وقت", "وطن", "ولی", "وکیل", "وضعیت", "ورزش", "آن", "گفت"];
    // Only the letter variants are folded (Farsi yeh, keheh, alef with madda).
    const fold = (w: string) => w.replace(/\u06cc/g, "\u064a").replace(/\u06a9/g, "\u0643").replace(/\u0622/g, "\u0627");
    for (const w of words) expect(normalizeWord(w), w).toBe(fold(w));
    expect(normalizeWord("الان")).not.toBe(normalizeWord("آن")); // "now" is not "that"
    expect(normalizeWord("ورود")).not.toBe(normalizeWord("رود")); // "entry" is not "river"
  });
  it("writes tokens one space apart and keeps the original offsets for highlighting", () => {
    expect(indexText("Die Prüfungen, (lacht) #00:01:02-3#")).toBe("die prufung lacht 00 01 02 3");
    const text = "Zwei Ausbildungen.";
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(["Zwei", "Ausbildungen"]);
  });
});

describe("query syntax", () => {
  const fts = (q: string) => {
    const r = parseQuery(q);
    return r.ok ? toFts5(r.query) : `hint:${r.hint}`;
  };
  it("compiles words, phrases, prefixes and operators, quoting every token", () => {
    expect(fts("Prüfung Ausbildung")).toBe('("prufung" AND "ausbild")');
    expect(fts('"Anerkennung des Diploms"')).toBe('"anerkenn des diplom"');
    expect(fts("Ausbild*")).toBe('("ausbild"* OR "ausbil" OR "ausbi")');
    expect(fts("Kinder*")).toBe('("kinder"* OR "kind" OR "kinde")');
    expect(fts("a OR b NOT c")).toBe('("a" OR (("b") NOT ("c")))');
    expect(fts("oder und nicht")).toBe('("oder" AND "und" AND "nicht")'); // lower case: words, not operators
    expect(fts('NEAR("x" ^y) :z')).toBe('("near" AND ("x" AND "y") AND "z")'); // FTS5 syntax is plain text here
    expect(fts("Ausbildung NEAR ^y :z")).toBe('("ausbild" AND "near" AND "y" AND "z")');
  });
  it("compiles the same query for PostgreSQL", () => {
    const r = parseQuery('"arbeite in" Ausbild* -Prüfung');
    expect(r.ok && toTsquery(r.query)).toBe("(('arbeit' <-> 'in') & ('ausbild':* | 'ausbil' | 'ausbi') & !'prufung')");
  });
  it("reads *word as a part at the end of words (stemmed like a word) and *word* as a part anywhere (folded only)", () => {
    expect(parseQuery("*Prüfungen")).toMatchObject({ ok: true, query: { type: "part", forms: { own: "prufung", inCompound: "pruf" }, at: "end" }, terms: { tokens: [], prefixes: [] } });
    expect(parseQuery("*PRÜF*")).toMatchObject({ ok: true, query: { type: "part", forms: { own: "pruf", inCompound: null }, at: "any" } });
    expect(parseQuery("Arbeit -*prüfung")).toMatchObject({ ok: true, query: { type: "and", children: [{ type: "term", token: "arbeit" }], not: [{ type: "part", forms: { own: "prufung", inCompound: "pruf" }, at: "end" }] } });
    // A part never reaches an engine's syntax unresolved.
    const r = parseQuery("*prüfung");
    expect(() => r.ok && toFts5(r.query)).toThrow(/resolved/);
  });
  it("gives a hint for what cannot run", () => {
    expect(parseQuery('"offen')).toEqual({ ok: false, hint: "unclosedQuote" });
    expect(parseQuery("(a OR b")).toEqual({ ok: false, hint: "unbalancedParens" });
    expect(parseQuery("a OR")).toEqual({ ok: false, hint: "danglingOperator" });
    expect(parseQuery("NICHT a")).toEqual({ ok: false, hint: "onlyNegative" });
    expect(parseQuery("-a -b")).toEqual({ ok: false, hint: "onlyNegative" });
    expect(parseQuery("x*")).toEqual({ ok: false, hint: "tooShortPrefix" });
    expect(parseQuery("*ab")).toEqual({ ok: false, hint: "tooShortPart" });
    expect(parseQuery("*ab*")).toEqual({ ok: false, hint: "tooShortPart" });
    expect(parseQuery("*Deutsch-Kurs")).toEqual({ ok: false, hint: "partOneWord" });
    expect(parseQuery("*")).toEqual({ ok: false, hint: "empty" });
    expect(parseQuery(Array.from({ length: 80 }, (_, i) => `w${i}`).join(" OR "))).toEqual({ ok: false, hint: "tooComplex" });
  });

  it("finds singular and plural of nouns in s that Snowball stems apart (Kurs: kur, Kurse: kurs)", () => {
    const tokensOf = (q: string) => {
      const parsed = parseQuery(q);
      return parsed.ok ? parsed.terms.tokens : [];
    };
    for (const family of [["Kurs", "Kurse", "Kursen", "Kurses"], ["Deutschkurs", "Deutschkurse"], ["Gans", "Gänse"], ["Impuls", "Impulse"]]) {
      const stems = new Set(family.map(normalizeWord));
      for (const q of family) expect(new Set(tokensOf(q)), q).toEqual(stems);
    }
    // Other words keep their one stem: an s after a vowel or after s stays, and a word without s gets no s.
    for (const q of ["Kur", "Preise", "Haus", "Bus", "Ergebnisse", "Ausbildung"]) expect(tokensOf(q), q).toEqual([normalizeWord(q)]);
    expect(parseQuery("-Kurse")).toEqual({ ok: false, hint: "onlyNegative" });
    expect(parseQuery("Sprache -Kurse")).toMatchObject({ ok: true, query: { type: "and", not: [{ type: "or" }] } });
  });

  it("while typing, the last plain word also stands for the words it begins", () => {
    expect(asYouTypeQuery("Anerk")).toBe("(Anerk OR Anerk*)");
    expect(asYouTypeQuery("Diplom Anerk")).toBe("Diplom (Anerk OR Anerk*)");
    expect(asYouTypeQuery("Kurs OR Prüf")).toBe("Kurs OR (Prüf OR Prüf*)");
    // Nothing else is touched: a finished word, a phrase (open or closed), a prefix, a part, an exclusion, an
    // operator, a word of several parts, a single letter.
    for (const q of ["Anerk ", '"Kenntnis Prüf', '"Kenntnis Prüfung"', "Anerk*", "*prüf", "Kurs -Bus", "Kurs AND", "E-Ma", "Kurs a", "(Kurs)"]) expect(asYouTypeQuery(q), q).toBe(q);
    expect(parseQuery(asYouTypeQuery("Diplom Anerk"))).toMatchObject({ ok: true, terms: { tokens: ["diplom", "anerk"], prefixes: ["anerk"] } });
  });
});

describe("snippets", () => {
  it("marks the words whose tokens match, in the original spelling", () => {
    const r = parseQuery("Pruefung");
    if (!r.ok) throw new Error();
    const s = makeSnippet("Die PRÜFUNGEN waren schwer.", r.terms);
    expect(s.segments).toEqual([
      { text: "Die ", hit: false },
      { text: "PRÜFUNGEN", hit: true },
      { text: " waren schwer.", hit: false },
    ]);
  });
  it("marks the whole Arabic word, its article and prefix included", () => {
    const r = parseQuery("مدرسة");
    if (!r.ok) throw new Error();
    expect(makeSnippet("ذهبت إلى المدرسة، والمدرسة بعيدة.", r.terms).segments).toEqual([
      { text: "ذهبت إلى ", hit: false },
      { text: "المدرسة", hit: true },
      { text: "، ", hit: false },
      { text: "والمدرسة", hit: true },
      { text: " بعيدة.", hit: false },
    ]);
  });
  it("cuts a long text around the densest hits, at word edges", () => {
    const r = parseQuery("Anerkennung");
    if (!r.ok) throw new Error();
    const text = `${"Lorem ipsum dolor sit amet. ".repeat(30)}Die Anerkennung kam spät, die Anerkennung war halb. ${"Am Ende. ".repeat(40)}`;
    const s = makeSnippet(text, r.terms, 120);
    expect(s.before && s.after).toBe(true);
    expect(s.segments.filter((x) => x.hit)).toHaveLength(2);
    const shown = s.segments.map((x) => x.text).join("");
    expect(shown.length).toBeLessThanOrEqual(120);
    expect(text.includes(shown)).toBe(true);
  });
});
