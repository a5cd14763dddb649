// Replacements: accepted proposals replace every occurrence; in pseudonym mode one person keeps one pseudonym
// throughout the narrative (full name, given name and "Frau <surname>" agree), different persons differ, and no
// pseudonym is a name that occurs in the text. The final check refuses what is left undecided.
import { learnNames } from "../../app/narratives/redaction/names.ts";
import { identityTerms } from "../../app/narratives/redaction/identity-terms.ts";
import { redactionView } from "../../app/narratives/view.ts";
import { keyOf } from "../../app/narratives/redaction/proposals.ts";
import type { Block } from "../../app/narratives/blocks.ts";
import type { RedactionState } from "../../app/narratives/redaction/types.ts";

const blocks: Block[] = [
  { id: "q1", kind: "quote", interviewId: "i", start: 0, end: 1, codingId: null, at: "2015", text: "Mein Name ist Fereshta Noori. Ich habe zwei Kinder, Mariam ist zwölf und Omid ist acht." },
  { id: "t1", kind: "text", at: "2020", text: "Fereshta erzählt, dass Omid die Schule mag. Ihr Mann Jawad Noori wartet noch." },
  { id: "q2", kind: "quote", interviewId: "i", start: 1, end: 2, codingId: null, at: "2024", text: "Frau Noori sagt: Jeden Abend ich rufe Jawad an. Meine Nummer ist 0151 2274 9031." },
];
const corpus = blocks.map((b) => b.text);
const ctx = { identity: identityTerms({ firstName: "Fereshta", lastName: "Noori", phone: "0151 2274 9031" }), municipalities: [], lexicon: learnNames(corpus), manual: [] };
const base: RedactionState = { decisions: [], nameMode: "pseudonym", editorIds: [], reviewComment: null, submittedById: null };

function acceptAll(state: RedactionState) {
  const first = redactionView("Titel", blocks, state, ctx);
  return redactionView("Titel", blocks, { ...state, decisions: first.proposals.map((p) => ({ key: keyOf(p.text), text: p.text, action: "accept" as const })) }, ctx);
}

describe("pseudonyms and replacements", () => {
  it("keeps one pseudonym per person across blocks and forms of the name", () => {
    const view = acceptAll(base);
    expect(view.problems).toEqual([]);
    const text = view.anonymized.sections.map((s) => s.paragraphs.join(" ")).join("\n");
    for (const original of ["Fereshta", "Noori", "Mariam", "Omid", "Jawad", "0151"]) expect(text).not.toContain(original);
    const p = (t: string) => view.proposals.find((x) => x.text === t)!.replacement!;
    const [given, surname] = p("Fereshta Noori").split(" ");
    expect(p("Fereshta")).toBe(given);
    expect(p("Frau Noori")).toBe(`Frau ${surname}`);
    expect(p("Jawad Noori")).toBe(`${p("Jawad")} ${surname}`);
    // different persons, different pseudonyms
    expect(new Set([p("Fereshta"), p("Mariam"), p("Omid"), p("Jawad")]).size).toBe(4);
    // culturally comparable (Persian given names) and not a name of the text
    expect(p("Omid")).not.toMatch(/^Person /);
    expect(text.split(p("Omid")).length - 1).toBe(2);
  });

  it("uses [Name] placeholders in placeholder mode", () => {
    const view = acceptAll({ ...base, nameMode: "placeholder" });
    // The children's exact ages are coarsened too.
    expect(view.anonymized.sections[0]!.paragraphs[0]).toBe("Mein Name ist [Name]. Ich habe zwei Kinder, [Name] ist ein Kind und [Name] ist ein Kind.");
    expect(view.anonymized.sections[2]!.paragraphs[0]).toBe("[Name] sagt: Jeden Abend ich rufe [Name] an. Meine Nummer ist [Telefonnummer].");
  });

  it("refuses release while a proposal is undecided, and does not accept rejecting an identity string", () => {
    const pending = redactionView("Titel", blocks, base, ctx);
    expect(pending.problems[0]).toMatchObject({ kind: "pending" });
    const all = acceptAll(base);
    const decisions = all.proposals.map((p) => ({ key: p.key, text: p.text, action: (p.text === "Fereshta Noori" ? "reject" : "accept") as "reject" | "accept" }));
    const view = redactionView("Titel", blocks, { ...base, decisions }, ctx);
    expect(view.proposals.find((p) => p.text === "Fereshta Noori")!.status).toBe("pending");
    expect(view.problems.some((p) => p.kind === "pending")).toBe(true);
  });

  it("finds an identity string that an edited replacement brings back", () => {
    const all = acceptAll(base);
    const decisions = all.proposals.map((p) => (p.text === "Omid" ? { key: p.key, text: p.text, action: "edit" as const, replacement: "Noori junior" } : { key: p.key, text: p.text, action: "accept" as const }));
    const view = redactionView("Titel", blocks, { ...base, decisions }, ctx);
    expect(view.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "identity-left", category: "name" })]));
  });
});

describe("coarsened dates read as sentences", () => {
  const dated: Block[] = [
    { id: "t1", kind: "text", at: null, text: "Ich bin am 14.03.1986 geboren. Am 3. Mai 2019 kam ich an, am 1. Juli fing der Kurs an. Seit dem 2.9.2020 arbeite ich." },
    { id: "t2", kind: "text", at: null, text: "She was born on March 14, 1986." },
  ];
  const text = (state: RedactionState) => redactionView("Titel", dated, state, { identity: [], municipalities: [], lexicon: new Map(), manual: [] }).anonymized.sections.map((s) => s.paragraphs.join(" "));
  const decide = (edit: Record<string, string> = {}) => {
    const first = redactionView("Titel", dated, base, { identity: [], municipalities: [], lexicon: new Map(), manual: [] });
    return { ...base, decisions: first.proposals.map((p) => (edit[p.text] !== undefined ? { key: p.key, text: p.text, action: "edit" as const, replacement: edit[p.text] } : { key: p.key, text: p.text, action: "accept" as const })) };
  };

  it("fits 'am'/'on' to the year or season that replaces the date", () => {
    expect(text(decide())).toEqual([
      "Ich bin 1986 geboren. Im Frühjahr 2019 kam ich an, im Sommer fing der Kurs an. Seit Herbst 2020 arbeite ich.",
      "She was born in 1986.",
    ]);
  });

  it("leaves a replacement someone typed as it is", () => {
    expect(text(decide({ "14.03.1986": "Mitte der 80er Jahre" }))[0]).toBe("Ich bin am Mitte der 80er Jahre geboren. Im Frühjahr 2019 kam ich an, im Sommer fing der Kurs an. Seit Herbst 2020 arbeite ich.");
  });
});

describe("a month with its year", () => {
  it("is reduced to the season, also at a sentence start and after 'seit'", () => {
    const blocks: Block[] = [{ id: "t", kind: "text", at: null, text: "Seit August 2023 bekommen wir kein Geld mehr. Im März 2016 kamen wir an, am 14. März 2016 genau. Mai 2019 war gut." }];
    const ctx0 = { identity: [], municipalities: [], lexicon: new Map(), manual: [] };
    const first = redactionView("Titel", blocks, base, ctx0);
    expect(first.proposals.map((p) => [p.text, p.suggestion])).toEqual([
      ["August 2023", "Sommer 2023"],
      ["März 2016", "Frühjahr 2016"],
      ["14. März 2016", "Frühjahr 2016"],
      ["Mai 2019", "Frühjahr 2019"],
    ]);
    const view = redactionView("Titel", blocks, { ...base, decisions: first.proposals.map((p) => ({ key: p.key, text: p.text, action: "accept" as const })) }, ctx0);
    expect(view.anonymized.sections[0]!.paragraphs[0]).toBe("Seit Sommer 2023 bekommen wir kein Geld mehr. Im Frühjahr 2016 kamen wir an, im Frühjahr 2016 genau. Frühjahr 2019 war gut.");
  });
});

describe("ages", () => {
  it("are coarsened so the sentence still reads, and a surname goes with its given name", () => {
    const blocks: Block[] = [
      { id: "t", kind: "text", at: null, text: "Mit sechzehn bin ich weggegangen. Heute bin ich 35 Jahre alt, meine Tochter ist zwölf. Ahmad Rahimi aus dem Kurs war als 17-Jähriger allein." },
    ];
    const ctx0 = { identity: [], municipalities: [], lexicon: new Map(), manual: [] };
    const first = redactionView("Titel", blocks, base, ctx0);
    const view = redactionView("Titel", blocks, { ...base, decisions: first.proposals.map((p) => ({ key: p.key, text: p.text, action: "accept" as const })) }, ctx0);
    expect(view.problems).toEqual([]);
    const [given, surname] = view.proposals.find((p) => p.text === "Ahmad Rahimi")!.replacement!.split(" ");
    expect(surname).toMatch(/^[A-Z]\.$/);
    expect(view.anonymized.sections[0]!.paragraphs[0]).toBe(`Im Jugendalter bin ich weggegangen. Heute bin ich Mitte dreißig, meine Tochter ist ein Kind. ${given} ${surname} aus dem Kurs war im Jugendalter allein.`);
  });
});
