// Demo biography notes on the three fixture persons' cases (by the integration manager of the case's
// municipality) and demo memos by the researcher on the demo interviews, a case, codes (when the codebook is
// seeded) and the project. Invented like the fixtures. Idempotent: a case with notes, or a memo title the
// researcher already used, is left alone.
import type { Db } from "../../app/db/client.server.ts";
import { sanitizeRichText } from "../../app/rich-text/sanitize.server.ts";
import { indexMemo, indexNote } from "../../search/hooks.server.ts";
import { DEMO_INTERVIEWS } from "./demo-interviews.ts";

type Block = string | { heading: string } | { list: string[] } | { quote: string };

/** A small Tiptap document; `**x**` makes bold text. */
function doc(...blocks: Block[]) {
  const inline = (s: string) =>
    s
      .split(/(\*\*[^*]+\*\*)/)
      .filter(Boolean)
      .map((part) => (part.startsWith("**") ? { type: "text", text: part.slice(2, -2), marks: [{ type: "bold" }] } : { type: "text", text: part }));
  const content = blocks.map((b) => {
    if (typeof b === "string") return { type: "paragraph", content: inline(b) };
    if ("heading" in b) return { type: "heading", attrs: { level: 3 }, content: inline(b.heading) };
    if ("quote" in b) return { type: "blockquote", content: [{ type: "paragraph", content: inline(b.quote) }] };
    return { type: "bulletList", content: b.list.map((item) => ({ type: "listItem", content: [{ type: "paragraph", content: inline(item) }] })) };
  });
  return sanitizeRichText({ json: JSON.stringify({ type: "doc", content }) });
}

type DemoNote = { type: "course" | "event" | "goal" | "other"; date: string; title: string; content: ReturnType<typeof doc> };

const NOTES: Record<string, { im: string; notes: DemoNote[] }> = {
  "LOE-2016-0001": {
    im: "im.loerrach",
    notes: [
      { type: "event", date: "2016-01-15", title: "Erstgespräch", content: doc("Erstes Gespräch im Integrationsmanagement. Unterbringung in der Anschlussunterbringung, Apothekerin mit Diplom aus Syrien.", { list: ["Unterlagen zur Anerkennung sammeln", "Sprachkurs anmelden"] }) },
      { type: "course", date: "2019-06-03", title: "Anerkennung: Teilanerkennung erhalten", content: doc("Bescheid über **Teilanerkennung** des Pharmaziestudiums. Für die volle Approbation fehlt die Kenntnisprüfung.") },
      { type: "goal", date: "2026-06-30", title: "Kenntnisprüfung ablegen", content: doc({ heading: "Ziel" }, "Kenntnisprüfung bis Sommer 2026, parallel weiter Vollzeit in der Apotheke.", { quote: "Ich will wieder als Apothekerin arbeiten, nicht nur als Helferin." }) },
    ],
  },
  "LOE-2022-0001": {
    im: "im.weil",
    notes: [
      { type: "course", date: "2023-11-20", title: "B1-Prüfung knapp nicht bestanden", content: doc("Ein Punkt fehlte. Wiederholung im nächsten Durchgang vereinbart, Lernpatenschaft über den Sportverein angefragt.") },
      { type: "event", date: "2024-06-14", title: "B1 bestanden", content: doc("**Zweiter Versuch bestanden.** Bewerbungen für Ausbildung im Elektrobereich laufen.") },
      { type: "goal", date: "2024-09-01", title: "Ausbildungsbeginn Elektroniker", content: doc("Ausbildungsvertrag unterschrieben, Beginn im September. Offene Frage: Passbeschaffung für den Aufenthaltstitel.") },
    ],
  },
  "LOE-2019-0001": {
    im: "im.loerrach",
    notes: [
      { type: "course", date: "2021-03-01", title: "Integrationskurs A2 abgeschlossen", content: doc("A2 erreicht; Kinderbetreuung während des Kurses war schwierig.") },
      { type: "goal", date: "2025-12-31", title: "Größere Wohnung für den Familiennachzug", content: doc("Für den Nachzug des Ehemanns wird eine größere Wohnung gebraucht.", { list: ["Wohnberechtigungsschein beantragen", "Wohnungsbaugesellschaft anschreiben"] }) },
    ],
  },
};

const INTERVIEW_MEMOS: { interview: 0 | 1 | 2; type: string; title: string; content: ReturnType<typeof doc> }[] = [
  { interview: 0, type: "case", title: "Anerkennung als roter Faden", content: doc("Die Teilanerkennung strukturiert die ganze Erzählung: jede Etappe wird am Stand des Verfahrens gemessen.") },
  { interview: 1, type: "method", title: "Duzen im Interview", content: doc("Der Interviewer duzt den Befragten. Prüfen, ob das die Offenheit bei der Fluchtpassage beeinflusst hat.") },
  { interview: 2, type: "reflection", title: "Dolmetschen und Stimme", content: doc("In den Dari-Passagen spricht die Dolmetscherin **für** die Befragte. Zitate nur aus den deutschen Passagen der Befragten verwenden.") },
];

const CODE_MEMOS: { key: string; type: string; title: string; content: ReturnType<typeof doc> }[] = [
  { key: "KUL.SPR", type: "code", title: "Sprache: Prüfungen als Wendepunkte", content: doc("Über alle drei Interviews werden Sprachprüfungen als biografische Wendepunkte erzählt, nicht der Kurs selbst.") },
  { key: "X.DIS", type: "theory", title: "Diskriminierungserfahrungen im Alltag", content: doc("Diskriminierung erscheint situativ (Kundschaft, Zug, Wohnungsbesichtigung), nicht institutionell. Mit SOZ.KON vergleichen.") },
];

const CASE_MEMO = { pseudonym: "LOE-2022-0001", type: "case", title: "Fallvergleich: Bildungsweg nach Ankunft als junger Erwachsener", content: doc("Kontrastfall zu LOE-2016-0001: Ausbildung statt Anerkennung.") };
const PROJECT_MEMO = { type: "method", title: "Codierregeln für Sprachstände", content: doc("KUL.SPR nur vergeben, wenn ein Niveau oder eine Prüfung genannt wird; allgemeine Aussagen über Sprache unter KUL.WIS.") };

export async function seedDemoNotes(db: Db): Promise<{ notes: number; memos: number }> {
  let notes = 0;
  let memos = 0;
  for (const [pseudonym, plan] of Object.entries(NOTES)) {
    const caseRow = await db.case.findUnique({ where: { pseudonym }, select: { id: true, _count: { select: { notes: true } } } });
    if (!caseRow || caseRow._count.notes > 0) continue;
    const author = await db.user.findUnique({ where: { username: plan.im }, select: { id: true } });
    for (const n of plan.notes) {
      const data = { type: n.type, noteDate: new Date(`${n.date}T00:00:00Z`), title: n.title, contentJson: n.content.json, contentHtml: n.content.html };
      await db.$transaction(async (tx) => {
        const note = await tx.biographyNote.create({
          data: { caseId: caseRow.id, ...data, contentText: n.content.text, version: 1, authorId: author?.id ?? null, versions: { create: { version: 1, ...data, editedById: author?.id ?? null } } },
          select: { id: true },
        });
        await indexNote(tx, note.id);
      });
      notes++;
    }
  }

  const researcher = await db.user.findUnique({ where: { username: "forschung" }, select: { id: true } });
  if (!researcher) return { notes, memos };
  const exists = async (title: string) => (await db.memo.count({ where: { authorId: researcher.id, title } })) > 0;
  const create = async (target: { interviewId?: string; codeId?: string; caseId?: string }, m: { type: string; title: string; content: ReturnType<typeof doc> }) => {
    if (await exists(m.title)) return;
    await db.$transaction(async (tx) => {
      const memo = await tx.memo.create({
        data: { ...target, type: m.type, title: m.title, contentJson: m.content.json, contentHtml: m.content.html, contentText: m.content.text, authorId: researcher.id },
        select: { id: true },
      });
      await indexMemo(tx, memo.id);
    });
    memos++;
  };
  for (const m of INTERVIEW_MEMOS) {
    const interview = await db.interview.findUnique({ where: { code: DEMO_INTERVIEWS[m.interview].code }, select: { id: true } });
    if (interview) await create({ interviewId: interview.id }, m);
  }
  for (const m of CODE_MEMOS) {
    // The codebook is seeded by prisma/seed/codebook.ts; without it the code memos are skipped.
    const code = await db.code.findUnique({ where: { key: m.key }, select: { id: true } });
    if (code) await create({ codeId: code.id }, m);
  }
  const caseRow = await db.case.findUnique({ where: { pseudonym: CASE_MEMO.pseudonym }, select: { id: true } });
  if (caseRow) await create({ caseId: caseRow.id }, CASE_MEMO);
  await create({}, PROJECT_MEMO);
  return { notes, memos };
}
