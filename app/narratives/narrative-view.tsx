// The anonymized narrative as a reader sees it (the commissioner's page and the researchers' preview), built
// from sections, never from stored HTML. In the preview, replaced spans are marked and undecided ones stand out.
import type { ReactNode } from "react";
import type { Section } from "./render.ts";
import type { AppliedPart } from "./redaction/proposals.ts";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";

export function SectionsView({ title, sections, headingLevel = 2 }: { title: string; sections: Section[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    // Narratives are written in German (as their PDF and DOCX); in the English UI too.
    <article className="narrative-reading" lang={RESEARCH_LANGUAGE}>
      <Heading className="narrative-title">{title}</Heading>
      {sections.map((s, i) => (
        <SectionView key={i} kind={s.kind}>
          {s.paragraphs.map((p, j) => (
            <p key={j}>{p}</p>
          ))}
        </SectionView>
      ))}
    </article>
  );
}

function SectionView({ kind, children }: { kind: Section["kind"]; children: ReactNode }) {
  if (kind === "quote") return <blockquote className="narrative-quote">{children}</blockquote>;
  return <div className={kind === "indicator" ? "narrative-indicator" : "narrative-text"}>{children}</div>;
}

/** Parts of one segment with their replacements marked (preview on the research side only). */
export function MarkedText({ parts, pendingLabel }: { parts: AppliedPart[]; pendingLabel: string }) {
  return (
    <>
      {parts.map((p, i) =>
        p.status === undefined ? (
          <span key={i}>{p.text}</span>
        ) : p.status === "pending" ? (
          <mark key={i} className="redaction-pending" title={pendingLabel}>
            {p.text}
          </mark>
        ) : p.status === "rejected" ? (
          <span key={i}>{p.text}</span>
        ) : (
          <mark key={i} className="redaction-done">
            {p.text}
          </mark>
        ),
      )}
    </>
  );
}
