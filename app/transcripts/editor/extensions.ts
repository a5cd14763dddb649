// The transcript schema for Tiptap: a document of turns (speaker turns = paragraphs), each turn carrying its
// speaker, start, end and engine words as node attributes, so typing inside a turn never touches its times.
// Plugins: times of turns joined by a deletion, the playing turn/word, low-confidence words, find and replace.
import { Extension, Node, getChangedRanges, mergeAttributes, type Editor, type JSONContent } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Fragment, Slice } from "@tiptap/pm/model";
import { ReplaceAroundStep, ReplaceStep } from "@tiptap/pm/transform";
import { Decoration, DecorationSet, type EditorView, type NodeView } from "@tiptap/pm/view";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { Paragraph, Word } from "../formats/types.ts";
import { speakerRole, type SpeakerRole, type SpeakerRoles } from "../speakers.ts";
import { clipboardText, htmlToPlainText, oneLine } from "./paste.ts";
import { MarginFocus, SPEAKER_KEYS_HINT } from "./margin-focus.ts";
import { alignedTokens, fillTimes, formatClockShort, mergeTiming, paragraphAt, seekTimeAt, splitTiming, type Timing } from "./timing.ts";

/** What the turns need from the page: seeking the player, and texts in the user's language. */
export type EditorControls = {
  seek(ms: number): void;
  seekLabel(speaker: string, startMs: number | null): string;
};
export type ControlsRef = { current: EditorControls | null };

/** Words below this probability are marked for checking. */
export const LOW_CONFIDENCE = 0.5;

export type TurnAttrs = { speaker: string; startMs: number | null; endMs: number | null; words: Word[] | null };

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    turn: {
      setSpeaker: (speaker: string) => ReturnType;
      splitTurn: () => ReturnType;
      mergeTurnBackward: () => ReturnType;
      mergeTurnForward: () => ReturnType;
      insertMarker: (marker: string) => ReturnType;
    };
  }
}

const HANDLED = "turnTimesHandled";

const msAttr = (el: HTMLElement, name: string) => {
  const v = el.getAttribute(name);
  return v !== null && /^\d+$/.test(v) ? Number(v) : null;
};

// The roles given to labels live on the document, so one undo step takes back a renaming with the role it gave, and
// a change of role alone is an edit that autosave stores.
export const TranscriptDocument = Node.create({
  name: "doc",
  topNode: true,
  content: "turn+",
  addAttributes: () => ({ speakerRoles: { default: {}, rendered: false } }),
});

/** The turn that holds the selection head: its index, position and node. */
function currentTurn(state: EditorState) {
  const { $head } = state.selection;
  if ($head.depth < 1) return null;
  const index = $head.index(0);
  return { index, pos: $head.before(1), node: $head.node(1), offset: $head.parentOffset };
}

const timingOf = (node: PMNode): Timing => ({ startMs: node.attrs.startMs, endMs: node.attrs.endMs, words: node.attrs.words });

/** Joins the turn at `index` with the one before it: start of the first, end of the second, a space between. */
function mergeAt(state: EditorState, index: number, dispatch: ((tr: Transaction) => void) | undefined): boolean {
  if (index < 1 || index >= state.doc.childCount) return false;
  if (!dispatch) return true;
  const first = state.doc.child(index - 1);
  const second = state.doc.child(index);
  let firstPos = 0;
  for (let i = 0; i < index - 1; i++) firstPos += state.doc.child(i).nodeSize;
  const boundary = firstPos + first.nodeSize; // between the two turns
  const tr = state.tr;
  const needsSpace = first.textContent !== "" && second.textContent !== "" && !/\s$/.test(first.textContent) && !/^\s/.test(second.textContent);
  let join = boundary;
  if (needsSpace) {
    tr.insertText(" ", boundary - 1);
    join += 1;
  }
  const merged = mergeTiming(timingOf(first), timingOf(second));
  tr.join(join);
  tr.setNodeMarkup(firstPos, undefined, { ...first.attrs, ...merged });
  tr.setSelection(TextSelection.create(tr.doc, join - 1));
  tr.setMeta(HANDLED, true);
  dispatch(tr.scrollIntoView());
  return true;
}

/**
 * A node decoration on a turn may carry `turnMargin` in its spec: it renders into a margin beside the turn (outside
 * the editable text), e.g. the coding stripes (app/coding/editor). The turn re-renders it when the decoration changes.
 */
export type TurnMarginSpec = { turnMargin?: (margin: HTMLElement) => void };

class TurnView implements NodeView {
  dom: HTMLElement;
  contentDOM: HTMLElement;
  private meta: HTMLElement;
  private label: HTMLButtonElement;
  private time: HTMLElement;
  private margin: HTMLElement | null = null;
  private marginRender: TurnMarginSpec["turnMargin"] = undefined;

  constructor(
    private node: PMNode,
    private controls: ControlsRef,
    decorations: readonly Decoration[] = [],
  ) {
    this.dom = document.createElement("div");
    this.dom.className = "turn";
    this.meta = document.createElement("div");
    this.meta.className = "turn-meta";
    this.meta.contentEditable = "false";
    this.label = document.createElement("button");
    this.label.type = "button";
    this.label.className = "turn-speaker";
    // one Tab stop for all turns' buttons, the arrow keys between them (margin-focus.ts)
    this.label.tabIndex = -1;
    this.label.setAttribute("aria-describedby", SPEAKER_KEYS_HINT);
    this.label.addEventListener("click", (e) => {
      e.preventDefault();
      const start = this.node.attrs.startMs as number | null;
      if (start !== null) this.controls.current?.seek(start);
    });
    this.time = document.createElement("span");
    this.time.className = "turn-time";
    this.meta.append(this.label, this.time);
    this.contentDOM = document.createElement("p");
    this.contentDOM.className = "turn-text";
    this.dom.append(this.meta, this.contentDOM);
    this.render();
    this.renderMargin(decorations);
  }

  private renderMargin(decorations: readonly Decoration[]) {
    const render = decorations.map((d) => (d.spec as TurnMarginSpec).turnMargin).find(Boolean);
    if (render === this.marginRender) return;
    this.marginRender = render;
    if (!render) {
      this.margin?.replaceChildren();
      return;
    }
    if (!this.margin) {
      this.margin = document.createElement("div");
      this.margin.className = "turn-margin";
      this.margin.contentEditable = "false";
      this.dom.prepend(this.margin);
    }
    render(this.margin);
  }

  private render() {
    const { speaker, startMs, endMs } = this.node.attrs as TurnAttrs;
    this.dom.dataset.speaker = speaker;
    if (startMs === null) delete this.dom.dataset.start;
    else this.dom.dataset.start = String(startMs);
    if (endMs === null) delete this.dom.dataset.end;
    else this.dom.dataset.end = String(endMs);
    this.label.textContent = `${speaker || "?"}:`;
    this.label.setAttribute("aria-label", this.controls.current?.seekLabel(speaker, startMs) ?? `${speaker} ${formatClockShort(startMs)}`);
    this.time.textContent = formatClockShort(startMs);
  }

  update(node: PMNode, decorations: readonly Decoration[] = []) {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    this.renderMargin(decorations);
    return true;
  }

  stopEvent(event: Event) {
    const target = event.target as globalThis.Node;
    return this.meta.contains(target) || Boolean(this.margin?.contains(target));
  }

  ignoreMutation(mutation: MutationRecord | { type: "selection"; target: globalThis.Node }) {
    if (mutation.type === "selection") return false;
    return !this.contentDOM.contains(mutation.target);
  }
}

export const Turn = Node.create<{ controls: ControlsRef }>({
  name: "turn",
  group: "block",
  content: "text*",
  marks: "",
  defining: true,

  addOptions() {
    return { controls: { current: null } };
  },

  addAttributes() {
    return {
      speaker: { default: "", parseHTML: (el) => el.getAttribute("data-speaker") ?? "", renderHTML: (a) => ({ "data-speaker": a.speaker as string }) },
      startMs: { default: null, keepOnSplit: false, parseHTML: (el) => msAttr(el, "data-start"), renderHTML: (a) => (a.startMs === null ? {} : { "data-start": String(a.startMs) }) },
      endMs: { default: null, keepOnSplit: false, parseHTML: (el) => msAttr(el, "data-end"), renderHTML: (a) => (a.endMs === null ? {} : { "data-end": String(a.endMs) }) },
      words: { default: null, keepOnSplit: false, rendered: false },
    };
  },

  parseHTML() {
    return [{ tag: "p" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["p", mergeAttributes(HTMLAttributes, { class: "turn" }), 0];
  },


  addCommands() {
    return {
      setSpeaker:
        (speaker: string) =>
        ({ state, dispatch }) => {
          const turn = currentTurn(state);
          if (!turn) return false;
          if (dispatch) dispatch(state.tr.setNodeMarkup(turn.pos, undefined, { ...turn.node.attrs, speaker }).setMeta(HANDLED, true));
          return true;
        },
      splitTurn:
        () =>
        ({ state, dispatch }) => {
          const turn = currentTurn(state);
          if (!turn) return false;
          if (dispatch) {
            const tr = state.tr;
            if (!state.selection.empty) tr.deleteSelection();
            // The spaces at the cut belong to neither turn: the first would end in a space before its timestamp.
            const $at = tr.selection.$from;
            const around = $at.parent.textContent;
            let from = $at.parentOffset;
            let to = from;
            while (from > 0 && /\s/.test(around[from - 1]!)) from--;
            while (to < around.length && /\s/.test(around[to]!)) to++;
            if (from < to) tr.delete($at.start() + from, $at.start() + to);
            const $pos = tr.selection.$from;
            const node = $pos.node(1);
            const turnPos = $pos.before(1);
            const [first, second] = splitTiming(node.textContent, $pos.parentOffset, timingOf(node));
            tr.split($pos.pos, 1, [{ type: node.type, attrs: { ...node.attrs, ...second } }]);
            tr.setNodeMarkup(turnPos, undefined, { ...node.attrs, ...first });
            tr.setMeta(HANDLED, true);
            dispatch(tr.scrollIntoView());
          }
          return true;
        },
      mergeTurnBackward:
        () =>
        ({ state, dispatch }) => {
          const turn = currentTurn(state);
          return turn ? mergeAt(state, turn.index, dispatch) : false;
        },
      mergeTurnForward:
        () =>
        ({ state, dispatch }) => {
          const turn = currentTurn(state);
          return turn ? mergeAt(state, turn.index + 1, dispatch) : false;
        },
      insertMarker:
        (marker: string) =>
        ({ state, dispatch }) => {
          const { $from, $to } = state.selection;
          if ($from.depth < 1) return false;
          if (dispatch) {
            const before = $from.parent.textBetween(0, $from.parentOffset);
            const after = $to.parent.textBetween($to.parentOffset, $to.parent.content.size);
            const text = `${before && !/\s$/.test(before) ? " " : ""}${marker}${after && /^\S/.test(after) && !/^[.,;:!?]/.test(after) ? " " : ""}`;
            dispatch(state.tr.insertText(text, $from.pos, $to.pos).scrollIntoView());
          }
          return true;
        },
    };
  },

  addKeyboardShortcuts() {
    const atStart = (state: EditorState) => state.selection.empty && state.selection.$from.parentOffset === 0;
    const atEnd = (state: EditorState) => state.selection.empty && state.selection.$from.parentOffset === state.selection.$from.parent.content.size;
    return {
      Enter: () => this.editor.commands.splitTurn(),
      "Shift-Enter": () => true, // no line breaks inside a turn
      Backspace: () => (atStart(this.editor.state) ? this.editor.commands.mergeTurnBackward() || true : false),
      Delete: () => (atEnd(this.editor.state) ? this.editor.commands.mergeTurnForward() || true : false),
    };
  },

  addProseMirrorPlugins() {
    // The turn's node view comes from a plugin with one function for the editor's life: Tiptap's addNodeView makes
    // new functions whenever its node views are asked for (EditorContent does so on mount), and ProseMirror then
    // rebuilds every turn, twice the work for a long transcript.
    const controls = this.options.controls;
    const nodeViews = { turn: (node: PMNode, _view: EditorView, _getPos: unknown, decorations: readonly Decoration[]) => new TurnView(node, controls, decorations) };
    return [new Plugin({ key: new PluginKey("turnView"), props: { nodeViews } }), turnTimesPlugin(), pastePlugin()];
  },
});

/**
 * Pasted text goes into the turn at the caret as plain text on one line (as in f4 and noScribe). Turns copied from
 * this editor too: a turn's speaker and times belong to the passage of the recording where it was spoken, so a
 * copy elsewhere would be a turn with a wrong or zero-length time (and no speaker once it came through another
 * application); new turns are made with Enter and given a speaker with the picker. A pasted passage of several
 * blocks is kept apart from the words at the caret by spaces.
 */
function pastePlugin() {
  return new Plugin({
    key: new PluginKey("turnPaste"),
    props: {
      handlePaste(view, event) {
        if (!event.clipboardData) return false;
        const { text, blocks } = clipboardText(event.clipboardData);
        if (!text) return true; // only an image or a file: a turn holds text only
        let { from, to } = view.state.selection;
        // Everything selected (Ctrl+A): replace the text of the turns, keeping the first turn as a typed letter would.
        if (view.state.selection.$from.depth < 1) from = 1;
        if (view.state.selection.$to.depth < 1) to = view.state.doc.content.size - 1;
        const $from = view.state.doc.resolve(from);
        const $to = view.state.doc.resolve(to);
        const before = $from.parent.textBetween(0, $from.parentOffset);
        const after = $to.parent.textBetween($to.parentOffset, $to.parent.content.size);
        const padded = blocks ? `${before && !/\s$/.test(before) ? " " : ""}${text}${after && /^[^\s.,;:!?]/.test(after) ? " " : ""}` : text;
        view.dispatch(view.state.tr.insertText(padded, from, to).scrollIntoView().setMeta("uiEvent", "paste"));
        return true;
      },
      // Drops (from another application, or turns dragged within the editor) come as a slice: the same rule.
      transformPastedHTML: (html) => `<p>${escapeHtml(htmlToPlainText(html).text)}</p>`,
      transformPastedText: (text) => oneLine(text),
      transformPasted(slice, view) {
        const inOneTurn = slice.content.childCount <= 1 && slice.openStart > 0 && slice.openEnd > 0;
        if (inOneTurn) return slice;
        const text = oneLine(slice.content.textBetween(0, slice.content.size, " ", " "));
        return text ? new Slice(Fragment.from(view.state.schema.text(text)), 0, 0) : Slice.empty;
      },
    },
  });
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A deletion across turns (a selection over a boundary, then typing or Delete) leaves the first turn with its own
 * attributes; give it the end (and words) of the last turn it swallowed, as a merge would.
 */
function turnTimesPlugin() {
  return new Plugin({
    key: new PluginKey("turnTimes"),
    appendTransaction(transactions, _oldState, newState) {
      const fixes: { pos: number; endMs: number | null; words: Word[] | null }[] = [];
      transactions.forEach((tr, t) => {
        if (!tr.docChanged || tr.getMeta(HANDLED) || tr.getMeta("history$")) return;
        tr.steps.forEach((step, i) => {
          if (!(step instanceof ReplaceStep || step instanceof ReplaceAroundStep)) return;
          const before = tr.docs[i]!;
          const after = i + 1 < tr.docs.length ? tr.docs[i + 1]! : tr.doc;
          if (after.childCount >= before.childCount) return;
          const { from, to } = step as unknown as { from: number; to: number };
          const $from = before.resolve(from);
          const $to = before.resolve(to);
          const firstIndex = $from.index(0);
          const lastIndex = $to.depth === 0 ? $to.index(0) - 1 : $to.index(0);
          if (lastIndex <= firstIndex || $from.depth === 0) return;
          const first = before.child(firstIndex);
          const last = before.child(lastIndex);
          let pos = tr.mapping.slice(i + 1).map(from, -1);
          for (const later of transactions.slice(t + 1)) pos = later.mapping.map(pos, -1);
          const merged = mergeTiming(timingOf(first), timingOf(last));
          fixes.push({ pos, endMs: merged.endMs, words: merged.words });
        });
      });
      if (!fixes.length) return null;
      const tr = newState.tr;
      for (const fix of fixes) {
        const $pos = newState.doc.resolve(Math.min(fix.pos, newState.doc.content.size));
        if ($pos.depth < 1) continue;
        const node = $pos.node(1);
        tr.setNodeMarkup($pos.before(1), undefined, { ...node.attrs, endMs: fix.endMs, words: fix.words });
      }
      return tr.docChanged ? tr : null;
    },
  });
}

// ---- playback: the turn (and word) at the player's position -----------------------------------------------

type PlaybackState = { ms: number | null; currentPos: number | null; decorations: DecorationSet };
export const playbackKey = new PluginKey<PlaybackState>("playback");

function playbackDecorations(doc: PMNode, ms: number | null): Omit<PlaybackState, "ms"> {
  if (ms === null) return { currentPos: null, decorations: DecorationSet.empty };
  const turns: { startMs: number | null; endMs: number | null }[] = [];
  const positions: number[] = [];
  doc.forEach((node, offset) => {
    turns.push({ startMs: node.attrs.startMs, endMs: node.attrs.endMs });
    positions.push(offset);
  });
  const index = paragraphAt(turns, ms);
  if (index < 0) return { currentPos: null, decorations: DecorationSet.empty };
  const pos = positions[index]!;
  const node = doc.child(index);
  const decorations = [Decoration.node(pos, pos + node.nodeSize, { class: "is-current", "aria-current": "true" })];
  const word = alignedTokens(node.textContent, node.attrs.words).find((t) => t.word.s <= ms && ms < t.word.e);
  if (word) decorations.push(Decoration.inline(pos + 1 + word.from, pos + 1 + word.to, { class: "is-current-word" }));
  return { currentPos: pos, decorations: DecorationSet.create(doc, decorations) };
}

const Playback = Extension.create({
  name: "playback",
  addProseMirrorPlugins() {
    return [
      new Plugin<PlaybackState>({
        key: playbackKey,
        state: {
          init: () => ({ ms: null, currentPos: null, decorations: DecorationSet.empty }),
          apply(tr, prev) {
            const meta = tr.getMeta(playbackKey) as { ms: number | null } | undefined;
            if (meta === undefined && !tr.docChanged) return prev;
            const ms = meta ? meta.ms : prev.ms;
            return { ms, ...playbackDecorations(tr.doc, ms) };
          },
        },
        props: { decorations: (state) => playbackKey.getState(state)?.decorations },
      }),
    ];
  },
});

// ---- words the engine was unsure of ------------------------------------------------------------------------

function confidenceDecorations(node: PMNode, pos: number, label: string): Decoration[] {
  return alignedTokens(node.textContent, node.attrs.words)
    .filter((t) => t.word.p !== undefined && t.word.p < LOW_CONFIDENCE)
    .map((t) => Decoration.inline(pos + 1 + t.from, pos + 1 + t.to, { class: "low-confidence", title: label }));
}

const Confidence = Extension.create<{ label: string }>({
  name: "confidence",
  addOptions() {
    return { label: "" };
  },
  addProseMirrorPlugins() {
    const label = this.options.label;
    const key = new PluginKey<DecorationSet>("confidence");
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: (_, state) => {
            const decorations: Decoration[] = [];
            state.doc.forEach((node, pos) => decorations.push(...confidenceDecorations(node, pos, label)));
            return DecorationSet.create(state.doc, decorations);
          },
          apply(tr, set) {
            if (!tr.docChanged) return set;
            let next = set.map(tr.mapping, tr.doc);
            // Only the turns an edit touched are looked at again.
            for (const { newRange } of getChangedRanges(tr)) {
              const from = Math.max(0, newRange.from - 1);
              const to = Math.min(tr.doc.content.size, newRange.to + 1);
              tr.doc.nodesBetween(from, to, (node, pos) => {
                if (node.type.name !== "turn") return true;
                next = next.remove(next.find(pos, pos + node.nodeSize)).add(tr.doc, confidenceDecorations(node, pos, label));
                return false;
              });
            }
            return next;
          },
        },
        props: { decorations: (state) => key.getState(state) },
      }),
    ];
  },
});

// ---- find and replace ----------------------------------------------------------------------------------------

export type Match = { from: number; to: number };
export type FindState = { query: string; caseSensitive: boolean; matches: Match[]; index: number; decorations: DecorationSet };
export const findKey = new PluginKey<FindState>("find");

function findMatches(doc: PMNode, query: string, caseSensitive: boolean): Match[] {
  if (!query) return [];
  const needle = caseSensitive ? query : query.toLocaleLowerCase();
  const matches: Match[] = [];
  doc.forEach((node, pos) => {
    const text = caseSensitive ? node.textContent : node.textContent.toLocaleLowerCase();
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + Math.max(1, needle.length))) matches.push({ from: pos + 1 + at, to: pos + 1 + at + needle.length });
  });
  return matches;
}

function findDecorations(doc: PMNode, matches: Match[], index: number) {
  return DecorationSet.create(
    doc,
    matches.map((m, i) => Decoration.inline(m.from, m.to, { class: i === index ? "find-match is-active" : "find-match" })),
  );
}

const Find = Extension.create({
  name: "find",
  addProseMirrorPlugins() {
    return [
      new Plugin<FindState>({
        key: findKey,
        state: {
          init: () => ({ query: "", caseSensitive: false, matches: [], index: -1, decorations: DecorationSet.empty }),
          apply(tr, prev) {
            const meta = tr.getMeta(findKey) as Partial<Pick<FindState, "query" | "caseSensitive" | "index">> | undefined;
            if (!meta && !tr.docChanged) return prev;
            const query = meta?.query ?? prev.query;
            const caseSensitive = meta?.caseSensitive ?? prev.caseSensitive;
            const matches = findMatches(tr.doc, query, caseSensitive);
            const wanted = meta?.index ?? prev.index;
            const index = matches.length ? Math.min(Math.max(wanted, 0), matches.length - 1) : -1;
            return { query, caseSensitive, matches, index, decorations: findDecorations(tr.doc, matches, index) };
          },
        },
        props: { decorations: (state) => findKey.getState(state)?.decorations },
      }),
    ];
  },
});

export function setFind(view: EditorView, query: string, caseSensitive: boolean) {
  view.dispatch(view.state.tr.setMeta(findKey, { query, caseSensitive, index: 0 }));
}

/** Moves to the next (or previous) match and selects it, so the editor scrolls there. */
export function gotoMatch(view: EditorView, direction: 1 | -1) {
  const state = findKey.getState(view.state);
  if (!state?.matches.length) return;
  const index = (state.index + direction + state.matches.length) % state.matches.length;
  const match = state.matches[index]!;
  view.dispatch(view.state.tr.setMeta(findKey, { index }).setSelection(TextSelection.create(view.state.doc, match.from, match.to)).scrollIntoView());
}

export function replaceCurrent(view: EditorView, replacement: string) {
  const state = findKey.getState(view.state);
  const match = state?.matches[state.index];
  if (!state || !match) return;
  const tr = view.state.tr.insertText(replacement, match.from, match.to).setMeta(findKey, { index: state.index });
  view.dispatch(tr.scrollIntoView());
}

/** One transaction, so one undo step takes the whole replacement back. */
export function replaceAll(view: EditorView, replacement: string): number {
  const state = findKey.getState(view.state);
  if (!state?.matches.length) return 0;
  const tr = view.state.tr;
  for (const match of [...state.matches].reverse()) tr.insertText(replacement, match.from, match.to);
  view.dispatch(tr);
  return state.matches.length;
}

/**
 * Gives every turn of speaker `from` the speaker `to` ("" is unassigned), in one transaction: one undo step takes
 * the whole renaming back with the role `to` gets (by default the role `from` had), and autosave stores it as one
 * version. Returns how many turns changed.
 */
export function renameSpeaker(view: EditorView, from: string, to: string, role = speakerRole(from || to, docSpeakerRoles(view.state))): number {
  if (from === to) return 0;
  const tr = view.state.tr;
  let count = 0;
  view.state.doc.forEach((node, pos) => {
    if (node.attrs.speaker !== from) return;
    tr.setNodeMarkup(pos, undefined, { ...node.attrs, speaker: to });
    count += 1;
  });
  if (count) view.dispatch(withRole(tr, to, role).setMeta(HANDLED, true));
  return count;
}

/** The roles given to labels in the editor (see speakerRole for those without). */
export const docSpeakerRoles = (state: EditorState): SpeakerRoles => state.doc.attrs.speakerRoles as SpeakerRoles;

function withRole(tr: Transaction, label: string, role: SpeakerRole): Transaction {
  const roles = tr.doc.attrs.speakerRoles as SpeakerRoles;
  return roles[label] === role ? tr : tr.setDocAttribute("speakerRoles", { ...roles, [label]: role });
}

/** Gives `label` the role (one undo step); false when it has it already. */
export function setSpeakerRole(view: EditorView, label: string, role: SpeakerRole): boolean {
  if (speakerRole(label, docSpeakerRoles(view.state)) === role) return false;
  view.dispatch(withRole(view.state.tr, label, role));
  return true;
}

/** The speaker of every turn, in document order (the picker and the renaming read it). */
export const turnSpeakers = (state: EditorState): { speaker: string }[] => {
  const out: { speaker: string }[] = [];
  state.doc.forEach((node) => out.push({ speaker: node.attrs.speaker as string }));
  return out;
};

// ---- document <-> paragraphs ----------------------------------------------------------------------------------

export function toDocument(paragraphs: readonly Paragraph[], speakerRoles: SpeakerRoles = {}): JSONContent {
  const turns = paragraphs.length ? paragraphs : [{ speaker: "", startMs: 0, endMs: 0, text: "" }];
  return {
    type: "doc",
    attrs: { speakerRoles },
    content: turns.map((p) => ({
      type: "turn",
      attrs: { speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, words: p.words ?? null },
      content: p.text ? [{ type: "text", text: p.text }] : [],
    })),
  };
}

/** The editor's document as paragraphs to save; turns without times get them from their neighbours. */
export function fromEditor(editor: Editor): Paragraph[] {
  const raw: (TurnAttrs & { text: string })[] = [];
  editor.state.doc.forEach((node) => raw.push({ ...(node.attrs as TurnAttrs), text: node.textContent }));
  return fillTimes(raw).map((p) => ({ speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text.replace(/\s+/g, " ").trim(), words: p.words }));
}

/** Where a click at document position `pos` should seek, or null (not in a timed turn). */
export function seekTimeAtPos(state: EditorState, pos: number): number | null {
  const $pos = state.doc.resolve(pos);
  if ($pos.depth < 1) return null;
  const node = $pos.node(1);
  return seekTimeAt(node.textContent, $pos.parentOffset, timingOf(node));
}

export function setPlayback(view: EditorView, ms: number | null) {
  view.dispatch(view.state.tr.setMeta(playbackKey, { ms }).setMeta("addToHistory", false));
}

export function transcriptExtensions(options: { controls: ControlsRef; lowConfidenceLabel: string }) {
  return [TranscriptDocument, Turn.configure({ controls: options.controls }), Playback, Confidence.configure({ label: options.lowConfidenceLabel }), Find, MarginFocus];
}
