// A save refused because the transcript was saved meanwhile (another tab, a colleague): the turns this page changed,
// each beside the stored version with the differing words marked, and per turn whether this page's words go on top
// of the stored version. Turns only this page changed merge without question; turns both changed need a choice.
// The editor keeps the person's text until the choices are made (docs/decisions/0013).
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { writeText } from "../formats/text.ts";
import { normalizeParagraphs, type Paragraph } from "../formats/types.ts";
import type { SpeakerRoles } from "../speakers.ts";
import { applyChoices, changedTokens, mergeRoles, mergeTurns, unsavedChunks, type Chunk, type Choice } from "./merge.ts";
import { formatClockShort } from "./timing.ts";

type Version = { paragraphs: Paragraph[]; speakerRoles: SpeakerRoles };
/** What the page saved last (base), what it tried to save (mine), and the stored version it met (current). */
export type Conflict = { base: Version; mine: Version; current: Version & { version: number } };

/** A side's turns as tokens to compare: speaker, times and each word, so a changed label or time is marked too. */
function tokensOf(turns: readonly Paragraph[]): { tokens: string[]; turns: [number, number][] } {
  const tokens: string[] = [];
  const ranges: [number, number][] = [];
  for (const p of turns) {
    const start = tokens.length;
    tokens.push(`${p.speaker || "?"}:`, `${formatClockShort(p.startMs)}–${formatClockShort(p.endMs)}`, ...p.text.split(" ").filter(Boolean));
    ranges.push([start, tokens.length]);
  }
  return { tokens, turns: ranges };
}

function Side({ side, changed, className }: { side: ReturnType<typeof tokensOf>; changed: boolean[]; className: string }) {
  const word = (i: number) => (changed[i] ? <mark className={className}>{side.tokens[i]}</mark> : side.tokens[i]);
  return (
    <>
      {side.turns.map(([from, to]) => (
        <p key={from} className="conflict-text">
          <span className="turn-speaker">{word(from)}</span> <span className="muted">{word(from + 1)}</span>{" "}
          {Array.from({ length: to - from - 2 }, (_, k) => (
            <span key={k}>
              {k ? " " : ""}
              {word(from + 2 + k)}
            </span>
          ))}
        </p>
      ))}
    </>
  );
}

function ChunkDiff({ chunk }: { chunk: Chunk }) {
  const { t } = useTranslation("transcripts");
  const mine = tokensOf(chunk.mine);
  const saved = tokensOf(chunk.theirs);
  const changed = changedTokens(mine.tokens, saved.tokens);
  return (
    <div className="conflict-sides">
      <div className="conflict-side" data-side="mine">
        <h4>{t("conflict.mine")}</h4>
        {chunk.mine.length ? <Side side={mine} changed={changed.a} className="diff-mine" /> : <p className="muted">{t("conflict.deletedHere")}</p>}
      </div>
      <div className="conflict-side" data-side="saved">
        <h4>{t("conflict.saved")}</h4>
        {chunk.theirs.length ? <Side side={saved} changed={changed.b} className="diff-saved" /> : <p className="muted">{t(chunk.base.length ? "conflict.deletedThere" : "conflict.notThere")}</p>}
        <p className="muted small">{t(chunk.kind === "mine" ? "conflict.unchangedThere" : "conflict.changedThere")}</p>
      </div>
    </div>
  );
}

export function ConflictPanel({ conflict, onApply }: { conflict: Conflict; onApply: (merged: Paragraph[], roles: SpeakerRoles, current: Conflict["current"]) => void }) {
  const { t } = useTranslation("transcripts");
  const { segments, listed, places } = useMemo(() => {
    const segments = mergeTurns(conflict.base.paragraphs, conflict.mine.paragraphs, normalizeParagraphs(conflict.current.paragraphs));
    // Where each listed chunk stands in the stored version (turn number), for its heading.
    const places = new Map<number, number>();
    let at = 0;
    for (const s of segments) {
      if (s.kind !== "stable") places.set(s.id, at + 1);
      at += s.kind === "stable" ? s.turns.length : s.theirs.length;
    }
    return { segments, listed: unsavedChunks(segments), places };
  }, [conflict]);
  const [choices, setChoices] = useState<ReadonlyMap<number, Choice>>(new Map());
  const [copied, setCopied] = useState<"copied" | "copyFailed" | null>(null);
  const roles = mergeRoles(conflict.base.speakerRoles, conflict.mine.speakerRoles, conflict.current.speakerRoles);

  // Once every listed turn has a choice, the editor takes the merged text and saves it.
  const choose = (next: ReadonlyMap<number, Choice>) => {
    setChoices(next);
    if (listed.every((c) => next.has(c.id))) onApply(applyChoices(segments, next), roles, conflict.current);
  };
  const clean = listed.filter((c) => c.kind === "mine");
  const open = listed.filter((c) => !choices.has(c.id));
  // The clipboard can refuse (no permission, page not focused, no secure context): say whether it worked.
  const copy = async () => {
    setCopied(null);
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(writeText(listed.flatMap((c) => c.mine)));
      setCopied("copied");
    } catch {
      setCopied("copyFailed");
    }
  };

  return (
    <section className="conflict-panel card" aria-labelledby="conflict-title">
      <h3 id="conflict-title">{t("conflict.title", { count: listed.length })}</h3>
      <p>{listed.length ? t("conflict.intro") : t("conflict.nothingUnsaved")}</p>
      <div className="actions-row">
        {listed.length ? (
          <>
            <button type="button" onClick={() => choose(new Map([...choices, ...clean.map((c) => [c.id, "mine"] as const)]))} disabled={!clean.some((c) => !choices.has(c.id))}>
              {t("conflict.takeAllClean", { count: clean.length })}
            </button>
            <button type="button" className="secondary" onClick={() => void copy()} disabled={!listed.some((c) => c.mine.length)}>
              {t("conflict.copy")}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => choose(new Map())}>
            {t("conflict.loadSaved")}
          </button>
        )}
        <span role="status">{copied ? t(copied === "copied" ? "conflict.copied" : "save.copyFailed") : ""}</span>
        <span role="status">{open.length && open.length < listed.length ? t("conflict.open", { count: open.length }) : ""}</span>
      </div>
      <ol className="conflict-turns">
        {listed.map((chunk) => {
          const first = chunk.mine[0] ?? chunk.theirs[0] ?? chunk.base[0];
          const choice = choices.get(chunk.id);
          return (
            <li key={chunk.id} className="conflict-turn" data-kind={chunk.kind} aria-labelledby={`conflict-${chunk.id}`}>
              <h4 id={`conflict-${chunk.id}`}>
                {t("conflict.turn", { number: places.get(chunk.id) ?? 1, speaker: first?.speaker || "?", time: formatClockShort(first?.startMs ?? 0) })}{" "}
                <span className={`badge ${chunk.kind === "both" ? "conflict-both" : "conflict-clean"}`}>{t(chunk.kind === "both" ? "conflict.both" : "conflict.clean")}</span>
              </h4>
              <ChunkDiff chunk={chunk} />
              <div className="actions-row" role="group" aria-labelledby={`conflict-${chunk.id}`}>
                <button type="button" className={choice === "mine" ? undefined : "secondary"} aria-pressed={choice === "mine"} onClick={() => choose(new Map([...choices, [chunk.id, "mine"]]))}>
                  {t("conflict.takeMine")}
                </button>
                <button type="button" className={choice === "saved" ? undefined : "secondary"} aria-pressed={choice === "saved"} onClick={() => choose(new Map([...choices, [chunk.id, "saved"]]))}>
                  {t("conflict.keepSaved")}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
