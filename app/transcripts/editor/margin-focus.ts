// The buttons beside the text (each turn's speaker button, the coding stripes in the margin) as two composites with
// a roving tabindex: Tab passes each group once, not once per turn, so a long transcript is not hundreds of Tab stops
// between the text and the coding panel. Up/Down (and Home/End) move between the turns' speaker buttons; the arrows
// move between the stripes. The Tab stop of each group follows the caret's turn, so Tab from the text lands beside
// the words being read. The buttons are made with tabindex -1 (TurnView, the coding plugin); this plugin picks the
// one with 0.
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";
import { rovingTarget, type RovingOrientation } from "../../components/roving-focus.ts";

type Group = { selector: string; orientation: RovingOrientation };
export const SPEAKER_BUTTONS: Group = { selector: ".turn-speaker", orientation: "vertical" };
export const CODING_STRIPES: Group = { selector: ".coding-stripe", orientation: "both" };
const GROUPS = [SPEAKER_BUTTONS, CODING_STRIPES];

/** Ids of the hidden hints the buttons name in aria-describedby (rendered by the editor page). */
export const SPEAKER_KEYS_HINT = "turn-speaker-keys";
export const STRIPE_KEYS_HINT = "coding-stripe-keys";

type Stop = { element: HTMLElement; turn: HTMLElement | null; index: number };

class MarginFocusView {
  private stops = new Map<Group, Stop | null>();
  /** The member that had the keyboard, so it is given back when a re-render replaces it (a stripe redrawn). */
  private focused: HTMLElement | null = null;

  constructor(private view: EditorView) {
    view.dom.addEventListener("keydown", this.onKeyDown);
    view.dom.addEventListener("focusin", this.onFocusIn);
    this.update(view, null);
  }

  private items(group: Group) {
    return [...this.view.dom.querySelectorAll<HTMLElement>(group.selector)];
  }

  private memberOf(target: EventTarget | null): [Group, HTMLElement] | null {
    if (!(target instanceof Element)) return null;
    for (const group of GROUPS) {
      const item = target.closest<HTMLElement>(group.selector);
      if (item && this.view.dom.contains(item)) return [group, item];
    }
    return null;
  }

  private makeStop(group: Group, element: HTMLElement | null, index = -1) {
    const previous = this.stops.get(group)?.element;
    if (previous && previous !== element && previous.isConnected) previous.tabIndex = -1;
    if (element) element.tabIndex = 0;
    this.stops.set(group, element ? { element, turn: element.closest<HTMLElement>(".turn"), index } : null);
  }

  private onFocusIn = (event: FocusEvent) => {
    const member = this.memberOf(event.target);
    this.focused = member?.[1] ?? null;
    if (member && this.stops.get(member[0])?.element !== member[1]) this.makeStop(member[0], member[1], this.items(member[0]).indexOf(member[1]));
  };

  private onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented) return;
    const member = this.memberOf(event.target);
    if (!member) return;
    const [group, item] = member;
    const items = this.items(group);
    const next = rovingTarget(items, item, event, { orientation: group.orientation, wrap: false });
    if (!next) return;
    event.preventDefault();
    this.makeStop(group, next, items.indexOf(next));
    next.focus();
  };

  /** A replacement for a stop that left the page: the same code's stripe in its turn, else the member at its place. */
  private replacement(group: Group, stop: Stop | null): [HTMLElement | null, number] {
    if (stop?.turn?.isConnected) {
      const code = stop.element.dataset.code;
      const same = code ? stop.turn.querySelector<HTMLElement>(`${group.selector}[data-code="${CSS.escape(code)}"]`) : null;
      const inTurn = same ?? stop.turn.querySelector<HTMLElement>(group.selector);
      if (inTurn) return [inTurn, -1];
    }
    if (!stop || stop.index <= 0) return [this.view.dom.querySelector<HTMLElement>(group.selector), 0];
    const items = this.items(group);
    const index = Math.min(stop.index, items.length - 1);
    return [items[index] ?? null, index];
  }

  /** The caret's turn holds the stops while the keyboard is in the text. */
  private followCaret(state: EditorState) {
    const { $head } = state.selection;
    if ($head.depth < 1) return;
    const turn = this.view.nodeDOM($head.before(1));
    if (!(turn instanceof HTMLElement)) return;
    for (const group of GROUPS) {
      const element = turn.querySelector<HTMLElement>(group.selector);
      if (element && this.stops.get(group)?.element !== element) this.makeStop(group, element);
    }
  }

  update(view: EditorView, previous: EditorState | null) {
    for (const group of GROUPS) {
      const stop = this.stops.get(group) ?? null;
      if (stop?.element.isConnected) continue;
      const [element, index] = this.replacement(group, stop);
      this.makeStop(group, element, index);
      // The focused button was redrawn (a stripe after its coding was chosen): the keyboard stays on its successor.
      if (stop && element && stop.element === this.focused && (!document.activeElement || document.activeElement === document.body)) element.focus({ preventScroll: true });
    }
    if (previous && !previous.selection.eq(view.state.selection) && view.hasFocus() && document.activeElement === view.dom) this.followCaret(view.state);
  }

  destroy() {
    this.view.dom.removeEventListener("keydown", this.onKeyDown);
    this.view.dom.removeEventListener("focusin", this.onFocusIn);
  }
}

export const MarginFocus = Extension.create({
  name: "marginFocus",
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey("marginFocus"), view: (view) => new MarginFocusView(view) })];
  },
});
