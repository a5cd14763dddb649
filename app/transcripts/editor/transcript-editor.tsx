// The transcript editor: turns in Tiptap beside the recording's player and waveform. Clicking a word or a turn
// seeks there; while playing, the current turn is highlighted and kept in view. Changes are saved a moment after
// typing stops (and every few seconds while typing goes on), each save naming the version it edited; a newer stored
// version stops autosave and says so. A link elsewhere in the app waits for the save (docs/decisions/0013).
// With codings (app/coding/editor): highlights and stripes in the text, the code picker and the coding panel; each
// save carries the codings' positions (anchors), mapped through the edits.
import { useBlocker, useFetcher, useLocation, useRouteLoaderData } from "@remix-run/react";
import { announceSessionEnded, SESSION_RESUMED_EVENT } from "../../auth/session-events.ts";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { writeText } from "../formats/text.ts";
import { formatDpTimestamp } from "../formats/timestamp.ts";
import { normalizeParagraphs, type Paragraph } from "../formats/types.ts";
import { MAX_TURN_CHARS, type TooLongTurn } from "../schemas.ts";
import {
  findKey,
  fromEditor,
  gotoMatch,
  playbackKey,
  docSpeakerRoles,
  renameSpeaker,
  setSpeakerRole,
  replaceAll,
  replaceCurrent,
  seekTimeAtPos,
  setFind,
  setPlayback,
  toDocument,
  transcriptExtensions,
  turnSpeakers,
  type ControlsRef,
} from "./extensions.ts";
import { EDITING_KEYS, KEYS, MARKERS, SPEEDS, actionFor, historyKey, keyLabel, loadSettings, storeSettings, DEFAULT_SETTINGS, type EditorSettings, type KeyAction } from "./keys.ts";
import { formatClockShort } from "./timing.ts";
import { SPEAKER_ROLES, normalizeSpeaker, speakerChoices, speakerCounts, speakerLabelError, speakerRole, type SpeakerRole, type SpeakerRoles } from "../speakers.ts";

/** i18n keys cannot hold ":" (the namespace separator): speaker:B -> speaker_B. */
const actionKey = (action: string) => action.replace(":", "_");
import { Waveform } from "./waveform.tsx";
import { SPEAKER_KEYS_HINT, STRIPE_KEYS_HINT } from "./margin-focus.ts";
import { rovingTarget } from "../../components/roving-focus.ts";
import { CodingHighlights, selectCoding } from "../../coding/editor/codings-plugin.ts";
import { anchorsOf } from "../../coding/editor/text-index.ts";
import { indexFor } from "../../coding/editor/plain-text.ts";
import { useCoding } from "../../coding/editor/use-coding.ts";
import { CodePicker } from "../../coding/editor/code-picker.tsx";
import { CodingPanel } from "../../coding/editor/coding-panel.tsx";
import type { CodingSetup, ServerCoding } from "../../coding/editor/types.ts";
import { ConflictPanel, type Conflict } from "./conflict-panel.tsx";

export type SaveState = "saved" | "dirty" | "saving" | "conflict" | "error";
/** The stored version a refused save met (null: the transcript is gone). */
type Current = { version: number; paragraphs: Paragraph[]; speakerRoles: SpeakerRoles } | null;
type SaveReply = { ok: true; version: number; codings?: ServerCoding[] } | { ok: false; conflict: true; version: number; current?: Current } | { ok: false; error: string; turn?: TooLongTurn; max?: number };
/** Why the last save was refused; `turn`: the turn too long to store (named in the message, to be split). */
type SaveError = { key: string; turn?: TooLongTurn; max?: number };

const AUTOSAVE_MS = 1500;
/** Typing on without a pause still saves this long after the first unsaved change at the latest. */
const AUTOSAVE_MAX_WAIT_MS = 5000;
const PLAYBACK_TICK_MS = 100;
/** Targets of the page's skip links (the transcript route's handle). */
export const TEXT_ID = "transcript-text";
export const AUDIO_ID = "transcript-audio";

type Props = {
  version: number;
  paragraphs: Paragraph[];
  /** Roles given to speaker labels other than their first letter's (search's speaker filter reads them). */
  speakerRoles?: SpeakerRoles;
  recording: { id: string; durationMs: number | null } | null;
  readOnly: boolean;
  /** Language of the spoken text (ISO 639-1), for spell checking and screen readers. */
  language?: string | null;
  onStateChange?: (state: { saveState: SaveState; version: number }) => void;
  /** Codings of this transcript and what this user may do with them; null: none shown. */
  coding?: CodingSetup | null;
};

export function TranscriptEditor({ version: initialVersion, paragraphs, speakerRoles = {}, recording, readOnly, language, onStateChange, coding = null }: Props) {
  const { t, i18n } = useTranslation("transcripts");
  const { t: tc } = useTranslation("coding");
  const { t: tCommon } = useTranslation();
  const csrf = (useRouteLoaderData("root") as { csrfToken: string | null } | undefined)?.csrfToken ?? "";
  const audio = useRef<HTMLAudioElement>(null);
  const [settings, setSettings] = useState<EditorSettings>(DEFAULT_SETTINGS);
  const [currentMs, setCurrentMs] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [saveError, setSaveError] = useState<SaveError | null>(null);
  const [findOpen, setFindOpen] = useState(false);
  const [speakersOpen, setSpeakersOpen] = useState(false);
  // the toolbar button that is its Tab stop (data-tool)
  const [toolStop, setToolStop] = useState("");
  // Labels added in the panel but not given to a turn yet: they stay in the picker until the page is left.
  const [addedSpeakers, setAddedSpeakers] = useState<string[]>([]);
  const findInput = useRef<HTMLInputElement>(null);
  const speakersButton = useRef<HTMLButtonElement>(null);
  const findOpener = useRef<HTMLElement | null>(null);
  const version = useRef(initialVersion);
  const changes = useRef(0); // edits since the page opened
  const submitted = useRef(0); // `changes` at the last submitted save
  const stored = useRef(0); // `changes` at the last save the server took
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingSince = useRef<number | null>(null); // when the first change not yet submitted was made
  const seekedSincePause = useRef(false);
  // A seek from the text (a click on a word or on a turn's speaker button) needs no scrolling: the turn is where
  // the person looks. Any other seek (waveform, slider, keys) brings its turn into view.
  const seekFromText = useRef(false);
  const fetcher = useFetcher<SaveReply>();
  // What the server has stored from this page (what it loaded, then each save it took): the base of a three-way
  // merge when a save is refused because someone saved meanwhile.
  const base = useRef({ paragraphs: normalizeParagraphs(paragraphs), speakerRoles });
  const sent = useRef(base.current);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  // After a merge the codings' positions in the editor are those of its own text, not of the stored one: the
  // merged save goes without anchors (the server's diff moves them) and asks for them back; no typing until then.
  const [merging, setMerging] = useState(false);
  const mergingRef = useRef(false);

  const seek = useCallback((ms: number) => {
    const el = audio.current;
    if (!el) return;
    el.currentTime = ms / 1000;
    seekedSincePause.current = true;
    setCurrentMs(ms);
  }, []);

  // Turns (a Tiptap node view outside React) reach the player and the texts through this ref.
  const controls = useRef<ControlsRef["current"]>(null);
  controls.current = {
    seek: (ms) => {
      seekFromText.current = true;
      seek(ms);
    },
    seekLabel: (speaker, startMs) => t("editor.seekTurn", { speaker: speaker || "?", time: formatClockShort(startMs) }),
  };
  const controlsRef = useRef<ControlsRef>({ current: null });
  controlsRef.current.current = controls.current;
  // The coding plugin is made once with the editor; its callbacks reach the current page through this ref.
  const codingHandlers = useRef({ onStripe: (_id: string) => {}, openPicker: () => {} });
  // Read-only (no right to edit, no consent to it, a conflict): the text is still a Tab stop and takes the focus, so
  // keyboard and screen reader users reach a linked passage and read from there (contenteditable=false alone is not
  // focusable). Set before the effect below makes the editor read-only, which renders the attributes again.
  const locked = useRef(readOnly);

  const editor = useEditor({
    immediatelyRender: false,
    editable: !readOnly,
    extensions: [
      StarterKit.configure({
        document: false,
        paragraph: false,
        blockquote: false,
        bold: false,
        bulletList: false,
        code: false,
        codeBlock: false,
        dropcursor: false,
        gapcursor: false,
        hardBreak: false,
        heading: false,
        horizontalRule: false,
        italic: false,
        listItem: false,
        listKeymap: false,
        orderedList: false,
        strike: false,
        link: false,
        underline: false,
        trailingNode: false,
        undoRedo: { depth: 1000, newGroupDelay: 800 },
      }),
      ...transcriptExtensions({ controls: controlsRef.current, lowConfidenceLabel: t("editor.lowConfidence") }),
      ...(coding
        ? [
            CodingHighlights.configure({
              stripeLabel: (code) => tc("stripe.label", { code: `${code.key ? `${code.key} ` : ""}${code.name}` }),
              onStripe: (id) => codingHandlers.current.onStripe(id),
              onOpenPicker: coding.canCode ? () => codingHandlers.current.openPicker() : null,
              initial: { codings: coding.codings, codes: coding.codes, paragraphs },
            }),
          ]
        : []),
    ],
    // No <style> element (the CSP allows none): the ProseMirror rules live in transcript-editor.css.
    injectCSS: false,
    content: toDocument(paragraphs, speakerRoles),
    editorProps: {
      attributes: () => ({
        id: TEXT_ID,
        class: "transcript-doc",
        "aria-label": t("editor.label"),
        "aria-multiline": "true",
        role: "textbox",
        spellcheck: "true",
        lang: language && /^[a-z]{2}$/.test(language) ? language : "de",
        ...(locked.current ? { tabindex: "0", "aria-readonly": "true" } : {}),
      }),
      handleClick(view, pos) {
        // While the recording plays, a click only places the caret: correcting while listening must not throw
        // playback back to the clicked word (the speaker button still seeks).
        if (audio.current && !audio.current.paused) return false;
        const ms = seekTimeAtPos(view.state, pos);
        if (ms !== null) controlsRef.current.current?.seek(ms);
        return false;
      },
    },
    // performance marks: npm run bench:coding reads where opening a long transcript spends its time
    onBeforeCreate() {
      performance.mark("transcript:editor:create");
    },
    onCreate() {
      performance.mark("transcript:editor:created");
    },
    onUpdate() {
      changes.current += 1;
      setSaveState((s) => (s === "conflict" || s === "error" ? s : "dirty"));
      schedule.current();
    },
  });

  // ---- autosave ---------------------------------------------------------------------------------------------
  // Each edit restarts the wait, up to AUTOSAVE_MAX_WAIT_MS after the first unsaved one; one save at a time; edits
  // made while a save runs are saved after it.
  const flush = useRef(() => {});
  flush.current = () => {
    if (!editor || readOnly) return;
    if (fetcher.state !== "idle") {
      // try again later (the running save's reply also schedules the rest)
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => flush.current(), AUTOSAVE_MS);
      return;
    }
    if (timer.current) clearTimeout(timer.current);
    pendingSince.current = null;
    submitted.current = changes.current;
    setSaveState("saving");
    const mine = { paragraphs: fromEditor(editor), speakerRoles: docSpeakerRoles(editor.state) };
    sent.current = { paragraphs: normalizeParagraphs(mine.paragraphs), speakerRoles: mine.speakerRoles };
    const form: Record<string, string> = { intent: "save", _csrf: csrf, version: String(version.current), paragraphs: JSON.stringify(mine.paragraphs), speakerRoles: JSON.stringify(mine.speakerRoles) };
    if (coding && mergingRef.current) form.withCodings = "1";
    else if (coding) form.anchors = JSON.stringify(anchorsOf(editor));
    fetcher.submit(form, { method: "post" });
  };
  const schedule = useRef(() => {});
  schedule.current = () => {
    if (timer.current) clearTimeout(timer.current);
    const now = Date.now();
    pendingSince.current ??= now;
    const wait = Math.max(0, Math.min(AUTOSAVE_MS, pendingSince.current + AUTOSAVE_MAX_WAIT_MS - now));
    timer.current = setTimeout(() => flush.current(), wait);
  };
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  // Coding actions send offsets into the saved text: they wait for unsaved edits to be saved first.
  const savedWaiters = useRef<{ resolve: (version: number) => void; reject: (error: Error) => void }[]>([]);
  const saveStateRef = useRef<SaveState>("saved");
  saveStateRef.current = saveState;
  const fetcherIdle = useRef(true);
  fetcherIdle.current = fetcher.state === "idle";
  const settleWaiters = (error: Error | null) => {
    const waiters = savedWaiters.current;
    savedWaiters.current = [];
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve(version.current);
    }
  };
  // The stored version at once when nothing is unsaved (so a coding action goes out without waiting), else a promise.
  const ensureSaved = useCallback((): number | Promise<number> => {
    if (saveStateRef.current === "conflict" || saveStateRef.current === "error") return Promise.reject(new Error(saveStateRef.current));
    if (changes.current === submitted.current && fetcherIdle.current) return version.current;
    return new Promise<number>((resolve, reject) => {
      savedWaiters.current.push({ resolve, reject });
      if (fetcherIdle.current) {
        if (timer.current) clearTimeout(timer.current);
        flush.current();
      }
    });
  }, []);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const reply = fetcher.data;
    if (reply.ok) {
      version.current = reply.version;
      stored.current = submitted.current;
      base.current = sent.current;
      if (mergingRef.current) {
        codingCtl.reload(reply.codings ?? null);
        mergingRef.current = false;
        setMerging(false);
      }
      if (changes.current > submitted.current) {
        setSaveState("dirty");
        // someone waits for the text to be saved: save the rest now
        if (savedWaiters.current.length) flush.current();
        else schedule.current();
      } else {
        setSaveState("saved");
        settleWaiters(null);
      }
    } else if ("conflict" in reply) {
      if (timer.current) clearTimeout(timer.current);
      // What this page changed since its base, beside the stored version (an older server sends no `current`).
      // "Mine" is the editor as it is now, not what was sent: words typed while the refused save was on its way
      // are this page's too (the editor is read-only from here on, so nothing changes it after this).
      const now = editor ? { paragraphs: normalizeParagraphs(fromEditor(editor)), speakerRoles: docSpeakerRoles(editor.state) } : null;
      if (editor && now && reply.current) setConflict({ base: base.current, mine: now, current: reply.current });
      else setConflict(null);
      setSaveState("conflict");
      settleWaiters(new Error("conflict"));
    } else {
      setSaveError({ key: reply.error, turn: reply.turn, max: reply.max });
      setSaveState("error");
      settleWaiters(new Error("error"));
      if (reply.error === "save.session") announceSessionEnded();
    }
  }, [fetcher.state, fetcher.data]);

  // Logged in again after the session ended (the banner's "carry on", after the page's data and its CSRF token are
  // reloaded): save what is still unsaved.
  useEffect(() => {
    const resumed = () => {
      setSaveError(null);
      flush.current();
    };
    window.addEventListener(SESSION_RESUMED_EVENT, resumed);
    return () => window.removeEventListener(SESSION_RESUMED_EVENT, resumed);
  }, []);

  const codingCtl = useCoding({ editor, setup: coding, csrf, ensureSaved });
  codingHandlers.current = {
    onStripe: (id) => {
      if (editor) selectCoding(editor.view, id);
    },
    openPicker: codingCtl.openPicker,
  };

  useEffect(() => {
    onStateChange?.({ saveState, version: version.current });
  }, [saveState, onStateChange]);

  // ---- leaving ----------------------------------------------------------------------------------------------
  const unsaved = () => !readOnly && (changes.current !== stored.current || !fetcherIdle.current);
  // Closing or reloading the tab with unsaved edits asks, also after a refused save (they are still unsaved),
  // unless the person has just chosen to drop them (the conflict's "reload", leaving after a refused save).
  const discarding = useRef(false);
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (unsaved() && !discarding.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  });
  // A link elsewhere in the app (another tab of the interview, the menu) would unmount the editor with edits that
  // are still waiting for autosave: it waits until they are saved, then goes on. A refused save (conflict, ended
  // session) keeps the person here, where the page says why; once refused, leaving asks as notes and memos do.
  // Another ?at= or ?recording= of this page keeps the editor, so it goes on at once.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => nextLocation.pathname !== currentLocation.pathname && unsaved());
  const blockerRef = useRef(blocker);
  blockerRef.current = blocker;
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    const go = () => blockerRef.current.state === "blocked" && blockerRef.current.proceed?.();
    const stay = () => blockerRef.current.state === "blocked" && blockerRef.current.reset?.();
    if (saveStateRef.current === "conflict" || saveStateRef.current === "error") {
      if (window.confirm(tCommon("leaveUnsaved"))) {
        discarding.current = true;
        go();
      } else stay();
      return;
    }
    Promise.resolve(ensureSaved()).then(go, stay);
  }, [blocker.state, ensureSaved, tCommon]);

  locked.current = readOnly || saveState === "conflict";
  useEffect(() => {
    editor?.setEditable(!readOnly && saveState !== "conflict" && !merging, false);
  }, [editor, readOnly, saveState, merging]);

  // The conflict's choices made: the stored version with the chosen turns of this page, saved on it as a normal
  // edit (not undoable: an undo would put this page's older text back over the colleague's). Nothing to save when
  // every turn kept the stored words.
  const applyMerge = (merged: Paragraph[], roles: SpeakerRoles, current: NonNullable<Current>) => {
    if (!editor) return;
    version.current = current.version;
    base.current = { paragraphs: normalizeParagraphs(current.paragraphs), speakerRoles: current.speakerRoles };
    const doc = editor.schema.nodeFromJSON(toDocument(merged, roles));
    const tr = editor.state.tr.replaceWith(0, editor.state.doc.content.size, doc.content).setDocAttribute("speakerRoles", roles).setMeta("addToHistory", false);
    if (JSON.stringify(normalizeParagraphs(merged)) === JSON.stringify(base.current.paragraphs) && JSON.stringify(roles) === JSON.stringify(current.speakerRoles)) {
      // Every turn kept the stored words: nothing to save, the page shows the stored version (with its codings).
      discarding.current = true;
      window.location.reload();
      return;
    }
    if (coding) {
      mergingRef.current = true;
      setMerging(true);
      codingCtl.reload(null);
    }
    setConflict(null);
    setSaveError(null);
    setSaveState("dirty");
    editor.view.dispatch(tr);
    flush.current();
  };

  useEffect(() => setSettings(loadSettings()), []);

  // ---- playback ---------------------------------------------------------------------------------------------
  const followPlayback = useCallback(
    (ms: number, scroll: "on-change" | "always" | false) => {
      if (!editor || editor.isDestroyed) return;
      const before = playbackKey.getState(editor.state)?.currentPos ?? null;
      setPlayback(editor.view, ms);
      const after = playbackKey.getState(editor.state)?.currentPos ?? null;
      if (scroll && after !== null && (after !== before || scroll === "always")) {
        (editor.view.nodeDOM(after) as HTMLElement | null)?.scrollIntoView({ block: "nearest" });
      }
    },
    [editor],
  );

  useEffect(() => {
    const el = audio.current;
    if (!el) return;
    let frame = 0;
    let last = 0;
    const tick = (now: number) => {
      if (now - last >= PLAYBACK_TICK_MS) {
        last = now;
        const ms = Math.round(el.currentTime * 1000);
        setCurrentMs(ms);
        followPlayback(ms, "on-change");
      }
      frame = requestAnimationFrame(tick);
    };
    const onPlay = () => {
      setPlaying(true);
      frame = requestAnimationFrame(tick);
    };
    const onPause = () => {
      setPlaying(false);
      cancelAnimationFrame(frame);
      seekedSincePause.current = false;
    };
    const onSeeked = () => {
      const ms = Math.round(el.currentTime * 1000);
      setCurrentMs(ms);
      followPlayback(ms, seekFromText.current ? false : "always");
      seekFromText.current = false;
    };
    el.addEventListener("play", onPlay);
    el.addEventListener("pause", onPause);
    el.addEventListener("seeked", onSeeked);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener("play", onPlay);
      el.removeEventListener("pause", onPause);
      el.removeEventListener("seeked", onSeeked);
    };
  }, [followPlayback, recording?.id]);

  // A link from search (?at=<ms>) opens the passage: the player stands at its time, the turn is in view. Also when
  // the page is open already and only ?at= changes (the editor stays, so this follows the URL, not the mount).
  // With ?from=&to= (a search hit's words, a coded segment) the words are selected and the caret is there, so
  // keyboard and screen reader users land on them, and the player stands at the first word's time when the turn
  // has word timings. A link with ?at= alone (older bookmarks) still works as before.
  const linkParams = new URLSearchParams(useLocation().search);
  const atParam = linkParams.get("at");
  const passageParam = ["turn", "from", "to"].map((k) => linkParams.get(k) ?? "").join(",");
  useEffect(() => {
    const at = Number(atParam);
    const hasAt = atParam !== null && atParam !== "" && Number.isFinite(at) && at >= 0;
    if (!editor) return;
    const range = linkedRange(editor, passageParam);
    if (!hasAt && !range) return;
    if (range) {
      editor.chain().setTextSelection(range).focus(undefined, { scrollIntoView: false }).run();
      // A read-only editor is not focused by Tiptap (ProseMirror focuses only editable ones): focus it here
      if (!editor.isEditable) focusReadOnly(editor, range);
      // centred, not at the window's edge: the words are read with what comes before them
      const { node } = editor.view.domAtPos(range.from);
      (node instanceof Element ? node : node.parentElement)?.scrollIntoView({ block: "center" });
    }
    const ms = (range ? seekTimeAtPos(editor.state, range.from) : null) ?? at;
    if (!Number.isFinite(ms) || ms < 0) return;
    const el = audio.current;
    const go = () => {
      // the turn is already in view (the words are): the seek must not scroll it to the window's edge
      if (range) seekFromText.current = true;
      seek(ms);
      followPlayback(ms, false);
      if (range) return;
      const pos = playbackKey.getState(editor.state)?.currentPos ?? null;
      if (pos !== null) (editor.view.nodeDOM(pos) as HTMLElement | null)?.scrollIntoView({ block: "center" });
    };
    if (el && el.readyState < 1) {
      el.addEventListener("loadedmetadata", go, { once: true });
      return () => el.removeEventListener("loadedmetadata", go);
    }
    go();
  }, [editor, seek, followPlayback, atParam, passageParam]);

  const togglePlay = useCallback(() => {
    const el = audio.current;
    if (!el) return;
    if (!el.paused) {
      el.pause();
      return;
    }
    // f4 habit: resuming repeats the last seconds, unless the user has just chosen a position.
    if (!seekedSincePause.current && el.currentTime > 0) el.currentTime = Math.max(0, el.currentTime - settings.rewindSeconds);
    seekedSincePause.current = false;
    void el.play().catch(() => setPlaying(false));
  }, [settings.rewindSeconds]);

  const jump = useCallback((seconds: number) => {
    const el = audio.current;
    if (!el) return;
    el.currentTime = Math.max(0, Math.min(el.duration || Infinity, el.currentTime + seconds));
    seekedSincePause.current = true;
  }, []);

  const changeRate = useCallback((next: number) => {
    const value = Math.min(2, Math.max(0.5, next));
    setRate(value);
    if (audio.current) audio.current.playbackRate = value;
  }, []);

  // ---- commands ---------------------------------------------------------------------------------------------
  const canEdit = Boolean(editor) && !readOnly && saveState !== "conflict";
  const run = useCallback(
    (action: KeyAction | `speaker:${string}` | "split" | "mergeBackward" | "mergeForward" | "undo" | "redo") => {
      switch (action) {
        case "togglePlay":
          return togglePlay();
        case "back":
          return jump(-settings.jumpSeconds);
        case "forward":
          return jump(settings.jumpSeconds);
        case "slower":
        case "faster": {
          const i = SPEEDS.indexOf(rate as (typeof SPEEDS)[number]);
          const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + (action === "faster" ? 1 : -1)))]!;
          return changeRate(next);
        }
        case "find":
          // Escape goes back where find was opened from: its toolbar button, or the text (Ctrl+F)
          findOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          setFindOpen(true);
          setTimeout(() => findInput.current?.focus(), 0);
          return;
      }
      if (!editor || !canEdit) return;
      const chain = editor.chain().focus();
      if (action.startsWith("speaker:")) chain.setSpeaker(action.slice("speaker:".length)).run();
      else if (action in MARKERS) chain.insertMarker(MARKERS[action as keyof typeof MARKERS]).run();
      else if (action === "timestamp") chain.insertMarker(formatDpTimestamp(Math.round((audio.current?.currentTime ?? 0) * 1000))).run();
      else if (action === "split") chain.splitTurn().run();
      else if (action === "mergeBackward") chain.mergeTurnBackward().run();
      else if (action === "mergeForward") chain.mergeTurnForward().run();
      else if (action === "undo") chain.undo().run();
      else if (action === "redo") chain.redo().run();
    },
    [editor, canEdit, togglePlay, jump, changeRate, rate, settings.jumpSeconds],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = actionFor(e);
      if (!action) return;
      const def = KEYS.find((k) => k.action === action)!;
      const inEditor = editor ? editor.view.dom.contains(e.target as Node) : false;
      if (def.editing && !inEditor) return; // editing keys act on the text only; elsewhere the browser's own keys stay
      e.preventDefault();
      run(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editor, run]);

  // Every label in use, with its number of turns (in order of first use): the picker and the renaming offer them.
  // Read from `editor`, not the snapshot's: the snapshot has no editor until its first transaction, and the panel
  // may open before any.
  const used = useEditorState({ editor, selector: () => (editor ? [...speakerCounts(turnSpeakers(editor.state))] : []) }) ?? [];
  const speakers = speakerChoices(used.map(([speaker]) => ({ speaker })), addedSpeakers);
  const roles = useEditorState({ editor, selector: () => (editor ? docSpeakerRoles(editor.state) : {}) }) ?? {};

  const history = useEditorState({
    editor,
    selector: ({ editor: ed }) => (ed ? { canUndo: ed.can().undo(), canRedo: ed.can().redo() } : { canUndo: false, canRedo: false }),
  });

  const keep = (e: React.MouseEvent) => e.preventDefault(); // toolbar clicks keep the cursor in the text

  // The toolbar is one Tab stop (WAI-ARIA toolbar, roving tabindex): Left/Right, Home/End move between its buttons.
  // Buttons that cannot act now stay reachable (aria-disabled, not disabled) and say so, as the APG advises.
  const toolKeys = [...speakers.map((s) => `speaker:${s}`), "speakers", ...Object.keys(MARKERS), "timestamp", "split", "mergeBackward", "mergeForward", "undo", "redo", "find"];
  const tabStop = toolKeys.includes(toolStop) ? toolStop : toolKeys[0];
  const tool = (key: string, disabled = false) => ({ "data-tool": key, tabIndex: key === tabStop ? 0 : -1, "aria-disabled": disabled || undefined });
  const toolbarFocus = (e: React.FocusEvent<HTMLElement>) => {
    const key = (e.target as HTMLElement).dataset.tool;
    if (key && key !== toolStop) setToolStop(key);
  };
  const toolbarKeys = (e: React.KeyboardEvent<HTMLElement>) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>("[data-tool]")];
    const next = e.target instanceof HTMLElement ? rovingTarget(items, e.target, e, { orientation: "horizontal", wrap: true }) : null;
    if (!next) return;
    e.preventDefault();
    next.focus();
  };

  return (
    <div className="transcript-workspace">
      <div className="transcript-main">
        <SaveStatus state={saveState} error={saveError} readOnly={readOnly} editor={editor} onDiscard={() => (discarding.current = true)} panel={Boolean(conflict)} />
        {saveState === "conflict" && conflict && !readOnly ? <ConflictPanel conflict={conflict} onApply={applyMerge} /> : null}
        {!readOnly ? (
          <div className="transcript-toolbar" role="toolbar" aria-label={t("toolbar.label")} aria-controls={TEXT_ID} onKeyDown={toolbarKeys} onFocus={toolbarFocus}>
            <div className="tool-group" role="group" aria-label={t("toolbar.speaker")}>
              {speakers.map((s) => (
                <button key={s} type="button" className="secondary" onMouseDown={keep} onClick={() => run(`speaker:${s}`)} {...tool(`speaker:${s}`, !canEdit)} title={t("toolbar.setSpeaker", { speaker: s })}>
                  {s}:
                </button>
              ))}
              <button ref={speakersButton} type="button" className="secondary" aria-expanded={speakersOpen} onClick={() => setSpeakersOpen((open) => !open)} {...tool("speakers")}>
                {t("toolbar.speakers")}
              </button>
            </div>
            <div className="tool-group" role="group" aria-label={t("toolbar.markers")}>
              {(Object.keys(MARKERS) as (keyof typeof MARKERS)[]).map((m) => (
                <button key={m} type="button" className="secondary" onMouseDown={keep} onClick={() => run(m)} {...tool(m, !canEdit)} title={t(`actions.${actionKey(m)}`)}>
                  {MARKERS[m]}
                </button>
              ))}
              <button type="button" className="secondary" onMouseDown={keep} onClick={() => run("timestamp")} {...tool("timestamp", !canEdit)}>
                {t("toolbar.timestamp")}
              </button>
            </div>
            <div className="tool-group" role="group" aria-label={t("toolbar.paragraphs")}>
              <button type="button" className="secondary" onMouseDown={keep} onClick={() => run("split")} {...tool("split", !canEdit)}>
                {t("toolbar.split")}
              </button>
              <button type="button" className="secondary" onMouseDown={keep} onClick={() => run("mergeBackward")} {...tool("mergeBackward", !canEdit)}>
                {t("toolbar.mergeBackward")}
              </button>
              <button type="button" className="secondary" onMouseDown={keep} onClick={() => run("mergeForward")} {...tool("mergeForward", !canEdit)}>
                {t("toolbar.mergeForward")}
              </button>
            </div>
            <div className="tool-group" role="group" aria-label={t("toolbar.history")}>
              <button type="button" className="secondary" onMouseDown={keep} onClick={() => history?.canUndo && run("undo")} {...tool("undo", !canEdit || !history?.canUndo)}>
                {t("toolbar.undo")}
              </button>
              <button type="button" className="secondary" onMouseDown={keep} onClick={() => history?.canRedo && run("redo")} {...tool("redo", !canEdit || !history?.canRedo)}>
                {t("toolbar.redo")}
              </button>
              <button type="button" className="secondary" aria-expanded={findOpen} onClick={() => (findOpen ? setFindOpen(false) : run("find"))} {...tool("find")}>
                {/* during a save conflict the text is locked: the panel then finds without replacing */}
                {t(saveState === "conflict" ? "toolbar.findOnly" : "toolbar.find")}
              </button>
            </div>
          </div>
        ) : (
          // Who may only read still finds words (find without replace): Ctrl+F answers only inside the text, so a
          // button reaches it from anywhere. One button is no toolbar (docs/decisions/0023).
          <div className="transcript-toolbar">
            <button type="button" className="secondary" aria-expanded={findOpen} onClick={() => (findOpen ? setFindOpen(false) : run("find"))}>
              {t("toolbar.findOnly")}
            </button>
          </div>
        )}
        <p id={SPEAKER_KEYS_HINT} hidden>
          {t("editor.speakerKeys")}
        </p>
        {coding ? (
          <p id={STRIPE_KEYS_HINT} hidden>
            {tc("stripe.keys")}
          </p>
        ) : null}
        {coding && editor && codingCtl.pickerOpen ? <CodePicker editor={editor} coding={codingCtl} /> : null}
        {speakersOpen && editor && !readOnly ? (
          <SpeakersPanel
            editor={editor}
            used={used}
            choices={speakers}
            roles={roles}
            disabled={!canEdit}
            onAdd={(label) => setAddedSpeakers((list) => (list.includes(label) ? list : [...list, label]))}
            onClose={() => {
              // back to the button that opened it (a keyboard user goes on from there, as after a dialog)
              setSpeakersOpen(false);
              speakersButton.current?.focus();
            }}
          />
        ) : null}
        {findOpen && editor ? <FindPanel editor={editor} inputRef={findInput} readOnly={!canEdit} onClose={() => {
              setFindOpen(false);
              const opener = findOpener.current;
              if (opener?.isConnected && !editor.view.dom.contains(opener)) opener.focus();
              // a read-only text is not focused by Tiptap: back to it at the last hit found
              else if (!editor.isEditable) focusReadOnly(editor, editor.state.selection);
              else editor.commands.focus();
            }} /> : null}
        {editor ? (
          <EditorContent editor={editor} className="transcript-scroll" />
        ) : (
          // Before the editor starts in the browser (and without JavaScript) the text is there to read.
          <div className="transcript-scroll">
            <div className="transcript-doc" id={TEXT_ID}>
              {paragraphs.map((p, i) => (
                <div key={i} className="turn" data-speaker={p.speaker} data-start={p.startMs} data-end={p.endMs}>
                  <div className="turn-meta">
                    <span className="turn-speaker">{p.speaker || "?"}:</span> <span className="turn-time">{formatClockShort(p.startMs)}</span>
                  </div>
                  <p className="turn-text">{p.text}</p>
                </div>
              ))}
            </div>
          </div>
        )}
      </div>

      <aside className="transcript-side" aria-label={coding ? tc("side.label") : t("player.title")}>
        {recording ? (
          <section className="player card" aria-labelledby="player-title">
            <h2 id="player-title">{t("player.title")}</h2>
            <audio ref={audio} id={AUDIO_ID} controls preload="metadata" src={`/recordings/${encodeURIComponent(recording.id)}/media`} aria-label={t("player.audio")} />
            <Waveform recordingId={recording.id} durationMs={recording.durationMs} currentMs={currentMs} onSeek={seek} stepMs={settings.jumpSeconds * 1000} />
            <div className="player-controls">
              <button type="button" onClick={() => run("togglePlay")} aria-pressed={playing}>
                {playing ? t("player.pause") : t("player.play")}
              </button>
              <button type="button" className="secondary" onClick={() => run("back")}>
                {t("player.back", { seconds: settings.jumpSeconds })}
              </button>
              <button type="button" className="secondary" onClick={() => run("forward")}>
                {t("player.forward", { seconds: settings.jumpSeconds })}
              </button>
              <label className="inline-label">
                {t("player.speed")}{" "}
                <select value={rate} onChange={(e) => changeRate(Number(e.target.value))}>
                  {SPEEDS.map((s) => (
                    <option key={s} value={s}>
                      {s.toLocaleString(i18n.language)}×
                    </option>
                  ))}
                </select>
              </label>
              <span className="player-time">
                {formatClockShort(currentMs)}
                {recording.durationMs ? ` / ${formatClockShort(recording.durationMs)}` : ""}
              </span>
            </div>
          </section>
        ) : null}
        {coding && editor && (coding.canCode || coding.gateNote) ? <CodingPanel editor={editor} coding={codingCtl} textVersion={saveState} locked={saveState === "conflict" || merging} /> : null}
        <HelpPanel settings={settings} onChange={(s) => { setSettings(s); storeSettings(s); }} />
      </aside>
    </div>
  );
}

function SaveStatus({ state, error, readOnly, editor, onDiscard, panel }: { state: SaveState; error: SaveError | null; readOnly: boolean; editor: Editor | null; onDiscard: () => void; panel: boolean }) {
  const { t, i18n } = useTranslation("transcripts");
  const [copied, setCopied] = useState<"copied" | "copyFailed" | null>(null);
  if (readOnly) return null;
  if (state === "conflict") {
    // Reloading drops the refused edits: asked first (the page's beforeunload question is then skipped).
    const reload = () => {
      if (!window.confirm(t("save.reloadConfirm"))) return;
      onDiscard();
      window.location.reload();
    };
    // The clipboard can refuse (no permission, page not focused, no secure context): say whether it worked.
    const copy = async (text: string) => {
      setCopied(null);
      try {
        if (!navigator.clipboard) throw new Error("no clipboard");
        await navigator.clipboard.writeText(text);
        setCopied("copied");
      } catch {
        setCopied("copyFailed");
      }
    };
    return (
      <div className="form-error" role="alert">
        <p>
          <strong>{t("save.conflict")}</strong> {t(panel ? "save.conflictMerge" : "save.conflictHint")}
        </p>
        <div className="actions-row">
          <button type="button" onClick={reload}>
            {t("save.reload")}
          </button>
          {editor && !panel ? (
            <button type="button" className="secondary" onClick={() => void copy(writeText(fromEditor(editor)))}>
              {t("save.copyMine")}
            </button>
          ) : null}
          <span role="status">{copied ? t(`save.${copied}`) : ""}</span>
        </div>
      </div>
    );
  }
  if (state === "error") {
    return (
      <p className="form-error" role="alert">
        {error?.turn
          ? t(error.key, {
              speaker: error.turn.speaker || "?",
              time: formatClockShort(error.turn.startMs),
              length: error.turn.length.toLocaleString(i18n.language),
              max: (error.max ?? MAX_TURN_CHARS).toLocaleString(i18n.language),
            })
          : t(error?.key ?? "save.failed")}
      </p>
    );
  }
  return (
    <p className="save-status muted" role="status">
      {t(`save.${state}`)}
    </p>
  );
}

function FindPanel({ editor, inputRef, readOnly, onClose }: { editor: Editor; inputRef: React.RefObject<HTMLInputElement>; readOnly: boolean; onClose: () => void }) {
  const { t } = useTranslation("transcripts");
  const [query, setQuery] = useState("");
  const [replacement, setReplacement] = useState("");
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [replaced, setReplaced] = useState<number | null>(null);
  const found = useEditorState({ editor, selector: ({ editor: ed }) => {
    const s = findKey.getState(ed.state);
    return { count: s?.matches.length ?? 0, index: s?.index ?? -1 };
  } });

  useEffect(() => {
    setFind(editor.view, query, caseSensitive);
  }, [editor, query, caseSensitive]);
  useEffect(() => () => setFind(editor.view, "", false), [editor]);

  return (
    <section className="find-panel card" aria-label={t(readOnly ? "find.titleFindOnly" : "find.title")} onKeyDown={(e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        onClose();
      }
    }}>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="find-query">{t("find.query")}</label>
          <input
            id="find-query"
            ref={inputRef}
            type="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setReplaced(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                gotoMatch(editor.view, e.shiftKey ? -1 : 1);
              }
            }}
          />
        </div>
        {!readOnly ? (
          <div className="field">
            <label htmlFor="find-replacement">{t("find.replacement")}</label>
            <input id="find-replacement" type="text" value={replacement} onChange={(e) => setReplacement(e.target.value)} />
          </div>
        ) : null}
        <label className="checkbox-row">
          <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} /> {t("find.caseSensitive")}
        </label>
      </div>
      <div className="actions-row">
        <button type="button" className="secondary" onClick={() => gotoMatch(editor.view, -1)} disabled={!found?.count}>
          {t("find.previous")}
        </button>
        <button type="button" className="secondary" onClick={() => gotoMatch(editor.view, 1)} disabled={!found?.count}>
          {t("find.next")}
        </button>
        {!readOnly ? (
          <>
            <button type="button" className="secondary" onClick={() => replaceCurrent(editor.view, replacement)} disabled={!found?.count}>
              {t("find.replace")}
            </button>
            <button type="button" className="secondary" onClick={() => setReplaced(replaceAll(editor.view, replacement))} disabled={!found?.count}>
              {t("find.replaceAll")}
            </button>
          </>
        ) : null}
        <button type="button" className="link-button" onClick={onClose}>
          {t("find.close")}
        </button>
        <span role="status" className="muted">
          {replaced !== null ? t("find.replaced", { count: replaced }) : query ? (found?.count ? t("find.count", { index: found.index + 1, count: found.count }) : t("find.none")) : ""}
        </span>
      </div>
    </section>
  );
}

/**
 * Adding a label to the picker, renaming one across the transcript, and the role of each (search's speaker filter).
 * A label that cannot be used is said so beside its field and stays there to be corrected. What the panel did is
 * said until the transcript changes again (an undo included).
 */
function SpeakersPanel({ editor, used, choices, roles, disabled, onAdd, onClose }: { editor: Editor; used: [string, number][]; choices: string[]; roles: SpeakerRoles; disabled: boolean; onAdd: (label: string) => void; onClose: () => void }) {
  const { t } = useTranslation("transcripts");
  const [label, setLabel] = useState("");
  const [labelError, setLabelError] = useState<string | null>(null);
  // null: the role the label's first letter gives (shown in the field as it is typed), until one is chosen.
  const [labelRole, setLabelRole] = useState<SpeakerRole | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState("");
  const [toError, setToError] = useState<string | null>(null);
  // null: the role of the label renamed (a rename keeps it), until another is chosen.
  const [toRole, setToRole] = useState<SpeakerRole | null>(null);
  const [status, setStatus] = useState("");
  const firstField = useRef<HTMLInputElement>(null);
  const shown = (speaker: string) => speaker || "?";
  // Opened, the panel takes focus (it comes after the whole toolbar in the page): its first field, as find does.
  useEffect(() => firstField.current?.focus(), []);
  // The chosen label, or the first in use when it is gone (renamed away, or nothing chosen yet).
  const source = from !== null && used.some(([s]) => s === from) ? from : (used[0]?.[0] ?? "");
  const newRole = labelRole ?? speakerRole(normalizeSpeaker(label), roles);
  // Unassigned turns have no role to keep: a name given to them gets its own.
  const renamedRole = toRole ?? speakerRole(source === "" ? normalizeSpeaker(to) : source, roles);

  // A message about the last step would be wrong after the next change (Ctrl+Z of a renaming included). The step's
  // own update comes before its message is set, so only later changes clear it.
  useEffect(() => {
    const clear = () => setStatus("");
    editor.on("update", clear);
    return () => {
      editor.off("update", clear);
    };
  }, [editor]);

  const add = () => {
    const error = speakerLabelError(label);
    setLabelError(error);
    if (error) return;
    const value = normalizeSpeaker(label);
    setSpeakerRole(editor.view, value, newRole);
    setStatus(t(choices.includes(value) ? "speakers.exists" : "speakers.added", { speaker: value, role: t(`speakers.roles.${newRole}`) }));
    onAdd(value);
    setLabel("");
    setLabelRole(null);
  };
  const rename = () => {
    const target = normalizeSpeaker(to);
    const error = speakerLabelError(to) ?? (target === source ? "speakers.errors.same" : null);
    setToError(error);
    if (error) return;
    const count = renameSpeaker(editor.view, source, target, renamedRole);
    setStatus(t("speakers.renamed", { count, from: shown(source), to: target, role: t(`speakers.roles.${renamedRole}`) }));
    setFrom(target);
    setTo("");
    setToRole(null);
  };
  const onEnter = (go: () => void) => (e: React.KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      go();
    }
  };
  const roleOptions = SPEAKER_ROLES.map((role) => (
    <option key={role} value={role}>
      {t(`speakers.roles.${role}`)}
    </option>
  ));

  return (
    <section className="find-panel card" aria-label={t("speakers.title")} onKeyDown={(e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        onClose();
        return;
      }
      // Ctrl+Z in a field with text undoes the typing there; anywhere else in the panel it undoes in the transcript
      // (a renaming, say), as the panel's hint tells.
      const step = historyKey(e);
      const typing = e.target instanceof HTMLInputElement && e.target.value !== "";
      if (step && !typing && !disabled) {
        e.preventDefault();
        if (step === "undo") editor.commands.undo();
        else editor.commands.redo();
      }
    }}>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="speaker-new">{t("speakers.new")}</label>
          <input id="speaker-new" ref={firstField} type="text" size={10} value={label} onChange={(e) => setLabel(e.target.value)} onKeyDown={onEnter(add)} aria-invalid={labelError ? true : undefined} aria-describedby={labelError ? "speaker-new-hint speaker-new-error" : "speaker-new-hint"} />
          <span id="speaker-new-hint" className="muted small">{t("speakers.hint")}</span>
          {labelError ? (
            <span id="speaker-new-error" className="field-error" role="alert">
              {t(labelError)}
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="speaker-new-role">{t("speakers.role")}</label>
          <select id="speaker-new-role" value={newRole} onChange={(e) => setLabelRole(e.target.value as SpeakerRole)}>
            {roleOptions}
          </select>
        </div>
        <button type="button" className="secondary" onClick={add} disabled={disabled}>
          {t("speakers.add")}
        </button>
      </div>
      {used.length ? (
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="speaker-from">{t("speakers.from")}</label>
            <select id="speaker-from" value={source} onChange={(e) => {
              setFrom(e.target.value);
              setToRole(null);
            }}>
              {used.map(([speaker, count]) => (
                <option key={speaker} value={speaker}>
                  {t("speakers.option", { speaker: shown(speaker), count })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="speaker-to">{t("speakers.to")}</label>
            <input id="speaker-to" type="text" size={10} value={to} onChange={(e) => setTo(e.target.value)} onKeyDown={onEnter(rename)} aria-invalid={toError ? true : undefined} aria-describedby={toError ? "speaker-to-error" : undefined} />
            {toError ? (
              <span id="speaker-to-error" className="field-error" role="alert">
                {t(toError)}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="speaker-to-role">{t("speakers.toRole")}</label>
            <select id="speaker-to-role" value={renamedRole} onChange={(e) => setToRole(e.target.value as SpeakerRole)}>
              {roleOptions}
            </select>
          </div>
          <button type="button" className="secondary" onClick={rename} disabled={disabled}>
            {t("speakers.rename")}
          </button>
        </div>
      ) : null}
      {used.some(([speaker]) => speaker !== "") ? (
        <fieldset className="speaker-roles">
          <legend>{t("speakers.roles.title")}</legend>
          <ul>
            {used.filter(([speaker]) => speaker !== "").map(([speaker]) => (
              <li key={speaker}>
                <label>
                  {shown(speaker)}:{" "}
                  <select aria-label={t("speakers.roleOf", { speaker: shown(speaker) })} value={speakerRole(speaker, roles)} onChange={(e) => setSpeakerRole(editor.view, speaker, e.target.value as SpeakerRole)} disabled={disabled}>
                    {roleOptions}
                  </select>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <p className="muted small">{t("speakers.undoHint")}</p>
      <div className="actions-row">
        <button type="button" className="link-button" onClick={onClose}>
          {t("speakers.close")}
        </button>
        <span role="status" className="muted">
          {status}
        </span>
      </div>
    </section>
  );
}

function HelpPanel({ settings, onChange }: { settings: EditorSettings; onChange: (s: EditorSettings) => void }) {
  const { t } = useTranslation("transcripts");
  const names = { ctrl: t("keys.ctrl"), shift: t("keys.shift"), del: t("keys.del") };
  const number = (key: keyof EditorSettings) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = Number(e.target.value);
    if (Number.isFinite(value) && value >= 0 && value <= 30) onChange({ ...settings, [key]: value });
  };
  return (
    <details className="help-panel card">
      <summary>{t("help.title")}</summary>
      <table>
        <caption>{t("help.keysCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("help.key")}</th>
            <th scope="col">{t("help.action")}</th>
          </tr>
        </thead>
        <tbody>
          {KEYS.map((k) => (
            <tr key={k.label}>
              <th scope="row">
                <kbd>{keyLabel(k.label, names)}</kbd>
              </th>
              <td>{t(`actions.${actionKey(k.action)}`, { seconds: k.action === "back" || k.action === "forward" ? settings.jumpSeconds : settings.rewindSeconds })}</td>
            </tr>
          ))}
          {EDITING_KEYS.map((k) => (
            <tr key={k.label}>
              <th scope="row">
                <kbd>{keyLabel(k.label, names)}</kbd>
              </th>
              <td>{t(`actions.${k.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("help.click")}</p>
      <p className="muted">
        <span className="low-confidence">{t("help.lowConfidenceSample")}</span> {t("help.lowConfidence")}
      </p>
      <h3>{t("help.settings")}</h3>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="rewind-seconds">{t("help.rewindSeconds")}</label>
          <input id="rewind-seconds" type="number" min={0} max={30} step={0.5} value={settings.rewindSeconds} onChange={number("rewindSeconds")} />
        </div>
        <div className="field">
          <label htmlFor="jump-seconds">{t("help.jumpSeconds")}</label>
          <input id="jump-seconds" type="number" min={0} max={30} step={0.5} value={settings.jumpSeconds} onChange={number("jumpSeconds")} />
        </div>
      </div>
    </details>
  );
}

/**
 * Focus on a read-only editor with `range` selected in the page, so a screen reader reads from there. ProseMirror
 * draws a read-only editor's selection only once the page's selection is inside it: it is put there first.
 */
function focusReadOnly(editor: Editor, range: { from: number; to: number }) {
  const { view } = editor;
  view.dom.focus({ preventScroll: true });
  const start = view.domAtPos(range.from);
  const end = view.domAtPos(range.to);
  window.getSelection()?.setBaseAndExtent(start.node, start.offset, end.node, end.offset);
}

/**
 * The words a link names, as editor positions: "turn,from,to" (?turn=&from=&to=): code points of the transcript's
 * saved plain text (a coding's offsets), or of turn number `turn`'s text when given (a search hit). Null when the
 * link names none, or names words the text no longer has (edited since): the link then opens at ?at= only.
 */
export function linkedRange(editor: Editor, param: string): { from: number; to: number } | null {
  const [turnText, fromText, toText] = param.split(",");
  if (!fromText || !toText || !/^\d+$/.test(fromText) || !/^\d+$/.test(toText)) return null;
  let from = Number(fromText);
  let to = Number(toText);
  if (to <= from) return null;
  const index = indexFor(editor.state.doc, () => fromEditor(editor));
  if (turnText) {
    if (!/^\d+$/.test(turnText)) return null;
    const span = index.spans[Number(turnText)];
    if (!span || span.start + to > span.end) return null;
    from += span.start;
    to += span.start;
  } else if (to > index.length) return null;
  const range = { from: index.toPosition(from, "start"), to: index.toPosition(to, "end") };
  return range.to > range.from ? range : null;
}
