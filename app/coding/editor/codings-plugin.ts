// Codings in the transcript editor: a ProseMirror plugin holds them as ranges in document positions and maps them
// through every transaction, so they follow their words while the text is edited (saved as anchors with the text).
// Shown as coloured highlights (one wrapper span per coding, so overlaps blend) and as coding stripes in a margin
// beside each turn, MAXQDA style (one stripe per code, its colour and short key; a click selects the coding).
//
// Decorations are updated incrementally: an edit only re-renders the codings and turns it touched; a keystroke in
// a 1,500-turn transcript with 1,000 codings looks at the few turns around it, not at the whole document.
import { Extension, getChangedRanges } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import type { Paragraph } from "../../transcripts/formats/types.ts";
import { indexFor, toEditorCodings } from "./plain-text.ts";
import { shortKey, type EditorCode, type ServerCoding } from "./types.ts";
import { STRIPE_KEYS_HINT } from "../../transcripts/editor/margin-focus.ts";

/** A coding in the editor: [from, to) in document positions; orphaned ones (all words deleted) have no range. */
export type EditorCoding = { id: string; codeId: string; from: number; to: number; orphaned: boolean; pending?: boolean };

type Lost = { doc: PMNode; from: number; to: number };

export type CodingsPluginState = {
  codings: readonly EditorCoding[];
  codes: ReadonlyMap<string, EditorCode>;
  active: string | null;
  /** Changes when codings are added, removed, moved by a command, orphaned or revived (not on plain mapping). */
  revision: number;
  decorations: DecorationSet;
  /** Codings whose words were deleted in this session, with the document they had words in (undo revives them). */
  lost: ReadonlyMap<string, Lost>;
};

type Meta =
  | { kind: "reset"; codings: EditorCoding[]; codes: EditorCode[] }
  | { kind: "add"; codings: EditorCoding[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "replace"; id: string; codings: EditorCoding[] }
  | { kind: "move"; id: string; from: number; to: number }
  | { kind: "update"; id: string; changes: Partial<Pick<EditorCoding, "codeId" | "orphaned">> }
  | { kind: "active"; id: string | null };

export const codingsKey = new PluginKey<CodingsPluginState>("codings");

export type StripeOptions = {
  /** Accessible name of a stripe button: code key and name, and what a click does. */
  stripeLabel: (code: EditorCode) => string;
  onStripe: (codingId: string) => void;
};

// ---- decorations -------------------------------------------------------------------------------------------------

/** The code's colour as a light, see-through background: overlapping codings blend into a darker tint. */
export function tint(colour: string, alpha = 0.16): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) return `rgba(140, 150, 161, ${alpha})`;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

function highlight(c: EditorCoding, codes: ReadonlyMap<string, EditorCode>, active: string | null): Decoration | null {
  if (c.orphaned || c.to <= c.from) return null;
  const code = codes.get(c.codeId);
  const classes = ["coding-hl"];
  if (c.id === active) classes.push("is-active");
  if (c.pending) classes.push("is-pending");
  return Decoration.inline(
    c.from,
    c.to,
    { nodeName: "span", class: classes.join(" "), style: `--code: ${code?.colour ?? "#8c96a1"}; --code-tint: ${tint(code?.colour ?? "#8c96a1")}`, "data-coding": c.id, "data-code": code?.key ?? c.codeId },
    { coding: c.id },
  );
}

type Stripe = { code: EditorCode | undefined; codeId: string; codingId: string; active: boolean };

function renderStripes(stripes: Stripe[], options: StripeOptions) {
  return (margin: HTMLElement) => {
    const buttons = stripes.map((s) => {
      const code = s.code ?? { id: s.codeId, key: null, name: "?", colour: "#8c96a1", parentId: null, specialCategory: false };
      const button = document.createElement("button");
      button.type = "button";
      button.className = s.active ? "coding-stripe is-active" : "coding-stripe";
      // one Tab stop for all stripes, the arrow keys between them (app/transcripts/editor/margin-focus.ts)
      button.tabIndex = -1;
      button.setAttribute("aria-describedby", STRIPE_KEYS_HINT);
      button.style.setProperty("--code", code.colour);
      button.dataset.coding = s.codingId;
      button.dataset.code = code.key ?? code.id;
      button.setAttribute("aria-label", options.stripeLabel(code));
      const key = document.createElement("span");
      key.className = "coding-stripe-key";
      key.setAttribute("aria-hidden", "true");
      key.textContent = shortKey(code);
      const name = document.createElement("span");
      name.className = "coding-stripe-name";
      name.setAttribute("aria-hidden", "true");
      name.textContent = `${code.key ? `${code.key} ` : ""}${code.name}`;
      button.append(key, name);
      button.addEventListener("mousedown", (e) => e.preventDefault()); // keep the text selection and focus
      button.addEventListener("click", (e) => {
        e.preventDefault();
        options.onStripe(s.codingId);
      });
      return button;
    });
    margin.replaceChildren(...buttons);
  };
}

/** The stripes of one turn: one per code with a coding in it, in order of the codings' starts. */
function stripeDecoration(turnPos: number, node: PMNode, codings: readonly EditorCoding[], state: Pick<CodingsPluginState, "codes" | "active">, options: StripeOptions): Decoration | null {
  const from = turnPos + 1;
  const to = turnPos + node.nodeSize - 1;
  if (to <= from) return null;
  const inTurn = codings.filter((c) => !c.orphaned && c.from < to && c.to > from).sort((a, b) => a.from - b.from || a.to - b.to);
  if (!inTurn.length) return null;
  const byCode = new Map<string, Stripe>();
  for (const c of inTurn) {
    const existing = byCode.get(c.codeId);
    if (!existing) byCode.set(c.codeId, { code: state.codes.get(c.codeId), codeId: c.codeId, codingId: c.id, active: c.id === state.active });
    else if (c.id === state.active) byCode.set(c.codeId, { ...existing, codingId: c.id, active: true });
  }
  const stripes = [...byCode.values()];
  // The attributes change whenever the stripes do, so the turn's view is updated exactly then.
  const signature = stripes.map((s) => `${s.codeId}:${s.codingId}${s.active ? "*" : ""}`).join(" ");
  return Decoration.node(turnPos, turnPos + node.nodeSize, { "data-stripes": signature, "data-codes": stripes.map((s) => s.code?.key ?? s.codeId).join(" ") }, { turnMargin: renderStripes(stripes, options) });
}

/** Start positions and nodes of the turns overlapping [lo, hi]. */
function turnsIn(doc: PMNode, lo: number, hi: number): { pos: number; node: PMNode }[] {
  const out: { pos: number; node: PMNode }[] = [];
  doc.nodesBetween(Math.max(0, lo), Math.min(doc.content.size, hi), (node, pos) => {
    if (node.type.name === "turn") out.push({ pos, node });
    return false;
  });
  return out;
}

function fullDecorations(doc: PMNode, state: Pick<CodingsPluginState, "codings" | "codes" | "active">, options: StripeOptions): DecorationSet {
  const decorations: Decoration[] = [];
  for (const c of state.codings) {
    const d = highlight(c, state.codes, state.active);
    if (d) decorations.push(d);
  }
  // Codings per turn in one pass: each coding goes to the turns it spans.
  const starts: number[] = [];
  const nodes: PMNode[] = [];
  doc.forEach((node, pos) => {
    starts.push(pos);
    nodes.push(node);
  });
  const buckets: EditorCoding[][] = nodes.map(() => []);
  const turnIndex = (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const c of state.codings) {
    if (c.orphaned || c.to <= c.from) continue;
    for (let i = turnIndex(c.from); i < starts.length && starts[i]! < c.to; i++) buckets[i]!.push(c);
  }
  buckets.forEach((bucket, i) => {
    if (!bucket.length) return;
    const d = stripeDecoration(starts[i]!, nodes[i]!, bucket, state, options);
    if (d) decorations.push(d);
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * Re-renders the given codings and the turns in `turnRanges` (document positions of `doc`): removes their
 * decorations and adds fresh ones.
 */
function refresh(set: DecorationSet, doc: PMNode, state: Pick<CodingsPluginState, "codings" | "codes" | "active">, ids: ReadonlySet<string>, turnRanges: [number, number][], options: StripeOptions): DecorationSet {
  if (!ids.size && !turnRanges.length) return set;
  const remove: Decoration[] = [];
  const add: Decoration[] = [];
  const ranges = [...turnRanges];
  for (const c of state.codings) {
    if (!ids.has(c.id)) continue;
    const d = highlight(c, state.codes, state.active);
    if (d) add.push(d);
    if (!c.orphaned) ranges.push([c.from, c.to]);
  }
  if (ids.size) remove.push(...set.find(undefined, undefined, (spec) => ids.has(spec.coding as string)));
  const seen = new Set<number>();
  for (const [lo, hi] of ranges) {
    for (const { pos, node } of turnsIn(doc, lo, hi)) {
      if (seen.has(pos)) continue;
      seen.add(pos);
      remove.push(...set.find(pos + 1, pos + 1, (spec) => Boolean(spec.turnMargin)));
      const d = stripeDecoration(pos, node, state.codings, state, options);
      if (d) add.push(d);
    }
  }
  return set.remove(remove).add(doc, add);
}

// ---- following the words -----------------------------------------------------------------------------------------

const WORD = /[\p{L}\p{M}\p{N}]/u;
const charAt = (doc: PMNode, pos: number) => (pos < 0 || pos >= doc.content.size ? "" : doc.textBetween(pos, pos + 1, "\n", "\n"));

/**
 * An edit at a coding's edge that leaves the edge inside a word (a word retyped or extended there) moves the edge to
 * the word's boundary: codings cover whole words, as a person reading the passage sees them.
 */
function snapOutward(doc: PMNode, from: number, to: number, touchedFrom: boolean, touchedTo: boolean) {
  if (touchedFrom) while (WORD.test(charAt(doc, from - 1)) && WORD.test(charAt(doc, from))) from--;
  if (touchedTo) while (WORD.test(charAt(doc, to - 1)) && WORD.test(charAt(doc, to))) to++;
  return { from, to };
}

function mapThrough(prev: CodingsPluginState, tr: Transaction, options: StripeOptions): CodingsPluginState {
  const changes = getChangedRanges(tr);
  const near = (pos: number) => changes.some(({ newRange }) => pos >= newRange.from && pos <= newRange.to);
  // Turns the edit touched, before it (their decorations are dropped before mapping: a split or joined turn would
  // otherwise carry a node decoration over two turns).
  const oldSpans: [number, number][] = [];
  for (const { oldRange } of changes) {
    for (const { pos, node } of turnsIn(tr.before, oldRange.from - 1, oldRange.to + 1)) oldSpans.push([pos, pos + node.nodeSize]);
  }
  const touchesOld = (c: EditorCoding) => oldSpans.some(([lo, hi]) => c.from <= hi && c.to >= lo);
  const affected = new Set<string>();
  let lost: Map<string, Lost> | null = null;
  let revision = prev.revision;

  const codings = prev.codings.map((c) => {
    if (c.orphaned) {
      const l = prev.lost.get(c.id);
      if (l && l.doc.eq(tr.doc)) {
        (lost ??= new Map(prev.lost)).delete(c.id);
        affected.add(c.id);
        revision++;
        return { ...c, from: l.from, to: l.to, orphaned: false };
      }
      return c;
    }
    let from = tr.mapping.map(c.from, 1);
    let to = tr.mapping.map(c.to, -1);
    if (!touchesOld(c) && !near(from) && !near(to)) return from === c.from && to === c.to ? c : { ...c, from, to };
    affected.add(c.id);
    if (to <= from) {
      (lost ??= new Map(prev.lost)).set(c.id, { doc: tr.before, from: c.from, to: c.to });
      revision++;
      return { ...c, from, to: from, orphaned: true };
    }
    ({ from, to } = snapOutward(tr.doc, from, to, near(from), near(to)));
    return { ...c, from, to };
  });

  // Drop what belongs to the touched turns and codings, map the rest, then render those again.
  let set = prev.decorations;
  const drop: Decoration[] = [];
  for (const [lo, hi] of oldSpans) drop.push(...set.find(lo, hi, (spec) => Boolean(spec.turnMargin) || affected.has(spec.coding as string)));
  if (affected.size) drop.push(...set.find(undefined, undefined, (spec) => affected.has(spec.coding as string)));
  set = set.remove(drop).map(tr.mapping, tr.doc);

  const next = { ...prev, codings, revision, lost: lost ?? prev.lost };
  const turnRanges: [number, number][] = changes.map(({ newRange }) => [newRange.from - 1, newRange.to + 1]);
  // turns a collapsed coding used to span lose its stripe
  for (const c of prev.codings) if (affected.has(c.id) && !c.orphaned) turnRanges.push([tr.mapping.map(c.from, -1), tr.mapping.map(c.to, 1)]);
  return { ...next, decorations: refresh(set, tr.doc, next, affected, turnRanges, options) };
}

/**
 * A range handed in by a command kept inside this document: one from an older state (a change taken back after a
 * request) could lie past its end, and a decoration or quote read there throws. Nothing left of it: orphaned.
 */
function inDoc(c: EditorCoding, doc: PMNode): EditorCoding {
  if (c.orphaned) return c;
  const size = doc.content.size;
  const from = Math.min(Math.max(c.from, 0), size);
  const to = Math.min(Math.max(c.to, from), size);
  if (from === c.from && to === c.to) return c;
  return to > from ? { ...c, from, to } : { ...c, from, to: from, orphaned: true };
}

function applyMeta(prev: CodingsPluginState, meta: Meta, doc: PMNode, options: StripeOptions): CodingsPluginState {
  const revision = prev.revision + 1;
  const rangesOf = (ids: Set<string>) => prev.codings.filter((c) => ids.has(c.id) && !c.orphaned).map((c): [number, number] => [c.from, c.to]);
  switch (meta.kind) {
    case "reset": {
      const next = { codings: meta.codings, codes: new Map(meta.codes.map((c) => [c.id, c])), active: null, revision, lost: new Map<string, Lost>() };
      return { ...next, decorations: fullDecorations(doc, next, options) };
    }
    case "add": {
      const next = { ...prev, codings: [...prev.codings, ...meta.codings.map((c) => inDoc(c, doc))], revision };
      return { ...next, decorations: refresh(prev.decorations, doc, next, new Set(meta.codings.map((c) => c.id)), [], options) };
    }
    case "remove": {
      const ids = new Set(meta.ids);
      const next = { ...prev, codings: prev.codings.filter((c) => !ids.has(c.id)), active: prev.active && ids.has(prev.active) ? null : prev.active, revision };
      return { ...next, decorations: refresh(prev.decorations, doc, next, ids, rangesOf(ids), options) };
    }
    case "replace": {
      const old = prev.codings.find((c) => c.id === meta.id);
      const replaced = meta.codings.map((c) => (old ? { ...c, from: old.from, to: old.to, orphaned: old.orphaned } : c));
      const next = { ...prev, codings: [...prev.codings.filter((c) => c.id !== meta.id), ...replaced], revision };
      const ids = new Set([meta.id, ...replaced.map((c) => c.id)]);
      return { ...next, decorations: refresh(prev.decorations, doc, next, ids, rangesOf(new Set([meta.id])), options) };
    }
    case "move":
    case "update": {
      const ids = new Set([meta.id]);
      const codings = prev.codings.map((c) => (c.id !== meta.id ? c : meta.kind === "move" ? inDoc({ ...c, from: meta.from, to: meta.to, orphaned: false }, doc) : { ...c, ...meta.changes }));
      const lost = new Map(prev.lost);
      lost.delete(meta.id);
      const next = { ...prev, codings, lost, revision };
      return { ...next, decorations: refresh(prev.decorations, doc, next, ids, rangesOf(ids), options) };
    }
    case "active": {
      if (meta.id === prev.active) return prev;
      const ids = new Set([meta.id, prev.active].filter((id): id is string => id !== null));
      const next = { ...prev, active: meta.id, revision };
      return { ...next, decorations: refresh(prev.decorations, doc, next, ids, [], options) };
    }
  }
}

/** The codings the page loaded, with the paragraphs the document was made of (their offsets refer to that text). */
export type InitialCodings = { codings: readonly ServerCoding[]; codes: readonly EditorCode[]; paragraphs: readonly Paragraph[] };

export function codingsPlugin(options: StripeOptions, initial: InitialCodings | null = null) {
  return new Plugin<CodingsPluginState>({
    key: codingsKey,
    state: {
      // Shown with the editor's first rendering of the document, not in a second pass.
      init: (_, state) => {
        const empty = { codings: [], codes: new Map(), active: null, revision: 0, decorations: DecorationSet.empty, lost: new Map() };
        if (!initial || state.doc.childCount !== initial.paragraphs.length) return empty;
        const codings = toEditorCodings(
          indexFor(state.doc, () => initial.paragraphs),
          initial.codings,
        );
        const next = { ...empty, codings, codes: new Map(initial.codes.map((c) => [c.id, c])) };
        return { ...next, decorations: fullDecorations(state.doc, next, options) };
      },
      apply(tr, prev) {
        const meta = tr.getMeta(codingsKey) as Meta | undefined;
        if (!tr.docChanged && !meta) return prev;
        let state = tr.docChanged ? mapThrough(prev, tr, options) : prev;
        if (meta) state = applyMeta(state, meta, tr.doc, options);
        return state;
      },
    },
    props: {
      decorations: (state) => codingsKey.getState(state)?.decorations,
      attributes: (state): Record<string, string> => (codingsKey.getState(state)?.codings.length ? { class: "has-codings" } : {}),
    },
  });
}

export const CodingHighlights = Extension.create<StripeOptions & { onOpenPicker: (() => void) | null; initial: InitialCodings | null }>({
  name: "codingHighlights",
  addOptions() {
    return { stripeLabel: (code) => code.name, onStripe: () => {}, onOpenPicker: null, initial: null };
  },
  addProseMirrorPlugins() {
    return [codingsPlugin({ stripeLabel: this.options.stripeLabel, onStripe: this.options.onStripe }, this.options.initial)];
  },
  addKeyboardShortcuts() {
    const open = this.options.onOpenPicker;
    const shortcuts: Record<string, () => boolean> = {
      // From the text to the coding under the caret in the panel (else the panel itself): the keyboard way there
      // without tabbing past every turn's buttons. Its "Zur Stelle" leads back.
      "Alt-Shift-c": () => {
        focusCodingAtCaret(this.editor.view);
        return true;
      },
    };
    if (open)
      shortcuts["Mod-k"] = () => {
        open();
        return true;
      };
    return shortcuts;
  },
});

// ---- commands ----------------------------------------------------------------------------------------------------

const send = (view: EditorView, meta: Meta) => view.dispatch(view.state.tr.setMeta(codingsKey, meta).setMeta("addToHistory", false));

export const codingsOf = (state: EditorState) => codingsKey.getState(state)!;
export const resetCodings = (view: EditorView, codings: EditorCoding[], codes: EditorCode[]) => send(view, { kind: "reset", codings, codes });
export const addCodings = (view: EditorView, codings: EditorCoding[]) => send(view, { kind: "add", codings });
export const removeCodings = (view: EditorView, ids: string[]) => send(view, { kind: "remove", ids });
export const replaceCoding = (view: EditorView, id: string, codings: EditorCoding[]) => send(view, { kind: "replace", id, codings });
export const moveCoding = (view: EditorView, id: string, from: number, to: number) => send(view, { kind: "move", id, from, to });
export const updateCodingState = (view: EditorView, id: string, changes: Partial<Pick<EditorCoding, "codeId" | "orphaned">>) => send(view, { kind: "update", id, changes });
export const setActiveCoding = (view: EditorView, id: string | null) => send(view, { kind: "active", id });

/** The shortest coding around the caret, made active, and the keyboard on its card in the panel. */
export function focusCodingAtCaret(view: EditorView) {
  const { from } = view.state.selection;
  const around = codingsOf(view.state)
    .codings.filter((c) => !c.orphaned && c.from <= from && from <= c.to)
    .sort((a, b) => a.to - a.from - (b.to - b.from))[0];
  if (around) setActiveCoding(view, around.id);
  // The panel renders the active card a moment later (a deferred render): try for a few frames.
  let frames = 0;
  const attempt = () => {
    const card = around ? document.getElementById(`coding-item-${around.id}`)?.querySelector<HTMLElement>("button, a") : null;
    const target = card ?? (frames > 8 || !around ? document.getElementById("coding-panel-title") : null);
    if (target) target.focus();
    else if (frames++ < 30) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

/** Selects a coding's words, marks it active and scrolls it into view. */
export function selectCoding(view: EditorView, id: string) {
  const coding = codingsOf(view.state).codings.find((c) => c.id === id);
  if (!coding) return;
  const tr = view.state.tr.setMeta(codingsKey, { kind: "active", id } satisfies Meta).setMeta("addToHistory", false);
  if (!coding.orphaned) tr.setSelection(TextSelection.create(view.state.doc, coding.from, coding.to)).scrollIntoView();
  view.dispatch(tr);
  if (!coding.orphaned) scrollAgainOnNextFrames(view, id);
}

/**
 * Turns off screen are laid out only when they come near it (content-visibility: auto, coding.css), so the first
 * scroll aims at an estimated place: the turns it brings into view take their real height and move the passage
 * away. Scrolling again on the next frames, once they are laid out, lands on it (a no-op once it is in view).
 */
function scrollAgainOnNextFrames(view: EditorView, id: string, frames = 3) {
  const again = () => {
    if (view.isDestroyed || codingsOf(view.state).active !== id) return;
    view.dispatch(view.state.tr.scrollIntoView().setMeta("addToHistory", false));
    if (--frames > 0) requestAnimationFrame(again);
  };
  requestAnimationFrame(again);
}

/** The selection without the spaces at its edges, or null when it holds no text. */
export function selectedPassage(state: EditorState): { from: number; to: number } | null {
  let { from, to } = state.selection;
  if (from === to) return null;
  const doc = state.doc;
  const blank = (ch: string) => ch === "" || /\s/.test(ch); // "" = between turns
  while (from < to && blank(charAt(doc, from))) from++;
  while (to > from && blank(charAt(doc, to - 1))) to--;
  return doc.textBetween(from, to, " ").trim() ? { from, to } : null;
}
