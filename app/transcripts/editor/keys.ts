// Keys of the editor, in one table: the key handler reads it and the help panel lists it. Alt combinations
// (not Ctrl+Alt, which is AltGr on German keyboards and types @ € { }), so no character becomes unreachable.
import { DEFAULT_SPEAKERS } from "../speakers.ts";

export type KeyAction =
  | "togglePlay"
  | "back"
  | "forward"
  | "slower"
  | "faster"
  | "speaker:I"
  | "speaker:B"
  | "speaker:B1"
  | "speaker:B2"
  | "speaker:D"
  | "marker:pause"
  | "marker:unclear"
  | "marker:laughs"
  | "timestamp"
  | "find";

/** `code` is KeyboardEvent.code, so the keys sit in the same place on every layout. */
export const KEYS: { action: KeyAction; code: string; alt?: boolean; mod?: boolean; label: string; editing?: boolean }[] = [
  { action: "togglePlay", code: "F4", label: "F4" },
  { action: "togglePlay", code: "KeyP", alt: true, label: "Alt+P" },
  { action: "back", code: "ArrowLeft", alt: true, label: "Alt+←" },
  { action: "forward", code: "ArrowRight", alt: true, label: "Alt+→" },
  { action: "slower", code: "ArrowDown", alt: true, label: "Alt+↓" },
  { action: "faster", code: "ArrowUp", alt: true, label: "Alt+↑" },
  { action: "speaker:I", code: "Digit1", alt: true, label: "Alt+1", editing: true },
  { action: "speaker:B", code: "Digit2", alt: true, label: "Alt+2", editing: true },
  { action: "speaker:B1", code: "Digit3", alt: true, label: "Alt+3", editing: true },
  { action: "speaker:D", code: "Digit4", alt: true, label: "Alt+4", editing: true },
  { action: "speaker:B2", code: "Digit5", alt: true, label: "Alt+5", editing: true },
  { action: "marker:pause", code: "Period", alt: true, label: "Alt+.", editing: true },
  { action: "marker:unclear", code: "KeyU", alt: true, label: "Alt+U", editing: true },
  { action: "marker:laughs", code: "KeyL", alt: true, label: "Alt+L", editing: true },
  { action: "timestamp", code: "KeyT", alt: true, label: "Alt+T", editing: true },
  { action: "find", code: "KeyF", mod: true, label: "Ctrl+F", editing: true },
];

/** Keys that work in the editor without a table entry (Tiptap's own and ours in the Turn node). */
export const EDITING_KEYS = [
  { label: "Enter", action: "split" },
  { label: "Backspace", action: "mergeBackward" },
  { label: "Del", action: "mergeForward" },
  { label: "Ctrl+Z", action: "undo" },
  { label: "Ctrl+Y / Ctrl+Shift+Z", action: "redo" },
] as const;

/** Key names in the user's language: "Ctrl+F" is "Strg+F" on German keyboards. */
export function keyLabel(label: string, names: { ctrl: string; shift: string; del: string }): string {
  return label.replace(/\bCtrl\b/g, names.ctrl).replace(/\bShift\b/g, names.shift).replace(/\bDel\b/g, names.del);
}

export const MARKERS = { "marker:pause": "(...)", "marker:unclear": "(unv.)", "marker:laughs": "(lacht)" } as const;
/** The speakers with a key (Alt+1 ... Alt+5); the picker adds the transcript's others (see ../speakers.ts). */
export const SPEAKERS = DEFAULT_SPEAKERS;
export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

export function actionFor(event: KeyboardEvent): KeyAction | null {
  const mod = event.ctrlKey || event.metaKey;
  for (const k of KEYS) {
    if (k.code !== event.code) continue;
    if (k.alt && (!event.altKey || mod)) continue;
    if (k.mod && (!mod || event.altKey)) continue;
    if (!k.alt && !k.mod && (event.altKey || mod || event.shiftKey)) continue;
    return k.action;
  }
  return null;
}

export type EditorSettings = { rewindSeconds: number; jumpSeconds: number };
export const DEFAULT_SETTINGS: EditorSettings = { rewindSeconds: 2, jumpSeconds: 5 };
const STORAGE_KEY = "lebenswege.transcript-editor";

export function loadSettings(): EditorSettings {
  try {
    const raw = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? "{}") as Partial<EditorSettings>;
    const clamp = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 30 ? v : fallback);
    return { rewindSeconds: clamp(raw.rewindSeconds, DEFAULT_SETTINGS.rewindSeconds), jumpSeconds: clamp(raw.jumpSeconds, DEFAULT_SETTINGS.jumpSeconds) };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function storeSettings(settings: EditorSettings) {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // private mode or storage full: the settings last for this page only
  }
}

/**
 * Ctrl+Z / Ctrl+Y (Ctrl+Shift+Z) by the character, as the editor's own keymap reads them (on a German keyboard Z
 * sits where KeyY is): the speakers panel passes them on to the transcript's history.
 */
export function historyKey(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): "undo" | "redo" | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y" && !event.shiftKey) return "redo";
  return null;
}
