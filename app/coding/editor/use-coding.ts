// The coding side of the transcript editor: loads the codings into the plugin, and applies, resizes, comments and
// removes them through the resource route (fetch, so no page loader reruns). Changes show at once in the text
// (optimistic) and are taken back when the server refuses; a refusal is explained in the panel.
//
// Offsets are code points of the text *as saved*: before an action sends offsets, unsaved edits are saved first
// (ensureSaved), so both sides count in the same text.
import { announceSessionEnded } from "../../auth/session-events.ts";
import type { Editor } from "@tiptap/react";
import type { Transaction } from "@tiptap/pm/state";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { addCodings, codingsOf, moveCoding, removeCodings, replaceCoding, resetCodings, selectedPassage, updateCodingState, type EditorCoding } from "./codings-plugin.ts";
import { toEditorCodings } from "./plain-text.ts";
import { textIndex, toSpan } from "./text-index.ts";
import type { CodingAction } from "./schemas.ts";
import type { CodingSetup, EditorCode, RefusalReason, ServerCoding } from "./types.ts";

export type CodingMeta = { createdBy: string | null; createdAt: string; comment: string | null; quote: string };
export type CodingMessage = { tone: "ok" | "error"; key: string; values?: Record<string, string | number> };

type ServerReply = { ok: true; codings?: ServerCoding[]; coding?: ServerCoding } | { ok: false; reason: RefusalReason | "invalid" | "session" };

const RECENT_KEY = "lebenswege.coding.recent";
const RECENT_MAX = 9;

function loadRecent(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

/**
 * A coding as it was before an optimistic change, mapped through the edits made while its request is out: taking
 * the change back puts it on its words as they are now. Its old positions may lie past the end of a text that was
 * shortened meanwhile. Call the result once (it stops following then).
 */
function follow(editor: Editor, coding: EditorCoding): () => EditorCoding {
  let { from, to } = coding;
  const map = ({ transaction, appendedTransactions }: { transaction: Transaction; appendedTransactions: Transaction[] }) => {
    for (const tr of [transaction, ...appendedTransactions]) {
      from = tr.mapping.map(from, 1);
      to = tr.mapping.map(to, -1);
    }
  };
  if (!coding.orphaned) editor.on("transaction", map);
  return () => {
    editor.off("transaction", map);
    if (coding.orphaned) return coding;
    return to > from ? { ...coding, from, to } : { ...coding, from, to: from, orphaned: true };
  };
}

const metaOf = (c: ServerCoding): CodingMeta => ({ createdBy: c.createdBy, createdAt: c.createdAt, comment: c.comment, quote: c.quote });

export type CodingController = ReturnType<typeof useCoding>;

const NO_CODING: CodingSetup = { interviewId: "", transcriptVersion: 1, codes: [], codings: [], canCode: false, specialAllowed: false, gateNote: null, memos: {}, canWriteMemo: false };

export function useCoding(options: {
  editor: Editor | null;
  /** null: this user does not see codings (the hook does nothing) */
  setup: CodingSetup | null;
  csrf: string;
  /** The stored version: at once when nothing is unsaved, else after saving (rejects on a conflict or error). */
  ensureSaved: () => number | Promise<number>;
}) {
  const { editor, csrf, ensureSaved } = options;
  const setup = options.setup ?? NO_CODING;
  const codeById = useMemo(() => new Map(setup.codes.map((c) => [c.id, c])), [setup.codes]);
  const [meta, setMeta] = useState<ReadonlyMap<string, CodingMeta>>(() => new Map(setup.codings.map((c) => [c.id, metaOf(c)])));
  const [message, setMessage] = useState<CodingMessage | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [recent, setRecent] = useState<string[]>([]);
  const [busy, setBusy] = useState(0);
  const pendingCount = useRef(0);

  useEffect(() => setRecent(loadRecent().filter((id) => codeById.has(id))), [codeById]);

  const post = useCallback(
    async (payload: CodingAction): Promise<{ status: number; body: ServerReply | null }> => {
      setBusy((n) => n + 1);
      try {
        const res = await fetch(`/interviews/${encodeURIComponent(setup.interviewId)}/codings`, {
          method: "POST",
          headers: { Accept: "application/json" },
          body: new URLSearchParams({ _csrf: csrf, payload: JSON.stringify(payload) }),
        });
        const body = (await res.json().catch(() => null)) as ServerReply | null;
        return { status: res.status, body };
      } catch {
        return { status: 0, body: null };
      } finally {
        setBusy((n) => n - 1);
      }
    },
    [csrf, setup.interviewId],
  );

  const refuse = useCallback((reply: { body: ServerReply | null }, codes: EditorCode[] = []) => {
    const reason = reply.body && !reply.body.ok ? reply.body.reason : "failed";
    if (reason === "session") announceSessionEnded();
    setMessage({ tone: "error", key: `refusal.${reason}`, values: { codes: codes.map((c) => c.key ?? c.name).join(", ") } });
  }, []);

  const remember = useCallback((codeIds: string[]) => {
    setRecent((prev) => {
      const next = [...codeIds, ...prev.filter((id) => !codeIds.includes(id))].slice(0, RECENT_MAX);
      try {
        localStorage.setItem(RECENT_KEY, JSON.stringify(next));
      } catch {
        // private mode: recent codes last for this page only
      }
      return next;
    });
  }, []);

  /** Applies codes to the selected passage. */
  const apply = useCallback(
    async (codeIds: string[]) => {
      if (!editor || !codeIds.length) return;
      // performance marks: npm run bench:coding reads where an apply spends its time
      performance.mark("coding:apply");
      setMessage(null);
      const codes = codeIds.map((id) => codeById.get(id)).filter((c): c is EditorCode => Boolean(c));
      const passage = selectedPassage(editor.state);
      if (!passage) {
        setMessage({ tone: "error", key: "messages.noSelection" });
        return;
      }
      if (!setup.canCode) {
        setMessage({ tone: "error", key: "refusal.consent-analysis" });
        return;
      }
      const special = codes.filter((c) => c.specialCategory);
      if (special.length && !setup.specialAllowed) {
        refuse({ body: { ok: false, reason: "consent-special" } }, special);
        return;
      }
      remember(codeIds);
      const batch = `pending-${++pendingCount.current}`;
      const pendingOf = (range: { from: number; to: number }): EditorCoding[] => codeIds.map((codeId) => ({ id: `${batch}:${codeId}`, codeId, ...range, orphaned: false, pending: true }));
      const saved = ensureSaved();
      let pending: EditorCoding[];
      let request: ReturnType<typeof post>;
      if (typeof saved === "number") {
        // Nothing unsaved: the request goes out first, then the passage is shown as pending until the answer.
        const span = toSpan(textIndex(editor), passage);
        performance.mark("coding:apply:send");
        request = post({ intent: "apply", transcriptVersion: saved, start: span.start, end: span.end, codeIds });
        pending = pendingOf(passage);
        addCodings(editor.view, pending);
        performance.mark("coding:apply:pending");
      } else {
        // Unsaved edits: shown at once, sent when the text is saved (the passage moves with edits made meanwhile).
        pending = pendingOf(passage);
        addCodings(editor.view, pending);
        let transcriptVersion: number;
        try {
          transcriptVersion = await saved;
        } catch {
          removeCodings(editor.view, pending.map((p) => p.id));
          setMessage({ tone: "error", key: "messages.saveFirst" });
          return;
        }
        const now = codingsOf(editor.state).codings.find((c) => c.id === pending[0]!.id);
        if (!now || now.orphaned) {
          removeCodings(editor.view, pending.map((p) => p.id));
          setMessage({ tone: "error", key: "messages.noSelection" });
          return;
        }
        const span = toSpan(textIndex(editor), now);
        performance.mark("coding:apply:send");
        request = post({ intent: "apply", transcriptVersion, start: span.start, end: span.end, codeIds });
      }
      const dropPending = () => removeCodings(editor.view, pending.map((p) => p.id));
      const reply = await request;
      performance.mark("coding:apply:reply");
      if (editor.isDestroyed) return;
      const applied = reply.body?.ok ? reply.body.codings : undefined;
      if (!applied) {
        dropPending();
        refuse(reply, codes);
        return;
      }
      const known = new Set(codingsOf(editor.state).codings.map((c) => c.id));
      for (const p of pending) {
        const created = applied.filter((c) => c.codeId === p.codeId && !known.has(c.id));
        if (created.length) replaceCoding(editor.view, p.id, created.map((c) => ({ id: c.id, codeId: c.codeId, from: 0, to: 0, orphaned: false })));
        else removeCodings(editor.view, [p.id]); // that code was already on exactly this passage
      }
      setMeta((prev) => new Map([...prev, ...applied.map((c) => [c.id, metaOf(c)] as const)]));
      setMessage({ tone: "ok", key: "messages.applied", values: { count: codes.length, codes: codes.map((c) => c.key ?? c.name).join(", ") } });
      performance.mark("coding:apply:shown");
    },
    [editor, codeById, setup.canCode, setup.specialAllowed, ensureSaved, post, refuse, remember],
  );

  /** Sets a coding to the selected passage: resizing it, or re-anchoring an orphaned one. */
  const setToSelection = useCallback(
    async (id: string) => {
      if (!editor) return;
      const before = codingsOf(editor.state).codings.find((c) => c.id === id);
      const passage = selectedPassage(editor.state);
      if (!before) return;
      if (!passage) {
        setMessage({ tone: "error", key: "messages.noSelection" });
        return;
      }
      const original = follow(editor, before);
      moveCoding(editor.view, id, passage.from, passage.to);
      const undo = () => {
        const back = original();
        if (back.orphaned) updateCodingState(editor.view, id, { orphaned: true });
        else moveCoding(editor.view, id, back.from, back.to);
      };
      let transcriptVersion: number;
      try {
        transcriptVersion = await ensureSaved();
      } catch {
        undo();
        setMessage({ tone: "error", key: "messages.saveFirst" });
        return;
      }
      const now = codingsOf(editor.state).codings.find((c) => c.id === id);
      if (!now || now.orphaned) return void original();
      const span = toSpan(textIndex(editor), now);
      const reply = await post({ intent: "update", codingId: id, transcriptVersion, start: span.start, end: span.end });
      if (editor.isDestroyed) return void original();
      if (!reply.body?.ok || !reply.body.coding) {
        undo();
        refuse(reply, [codeById.get(before.codeId)].filter((c): c is EditorCode => Boolean(c)));
        return;
      }
      original();
      const coding = reply.body.coding;
      setMeta((prev) => new Map(prev).set(id, metaOf(coding)));
      setMessage({ tone: "ok", key: before.orphaned ? "messages.reanchored" : "messages.resized" });
    },
    [editor, codeById, ensureSaved, post, refuse],
  );

  const setComment = useCallback(
    async (id: string, comment: string): Promise<boolean> => {
      const reply = await post({ intent: "update", codingId: id, transcriptVersion: Math.max(1, setup.transcriptVersion), comment });
      if (!reply.body?.ok || !reply.body.coding) {
        refuse(reply);
        return false;
      }
      const coding = reply.body.coding;
      setMeta((prev) => new Map(prev).set(id, { ...(prev.get(id) ?? metaOf(coding)), comment: coding.comment }));
      setMessage({ tone: "ok", key: "messages.commented" });
      return true;
    },
    [post, refuse, setup.transcriptVersion],
  );

  const remove = useCallback(
    async (id: string) => {
      if (!editor) return;
      const before = codingsOf(editor.state).codings.find((c) => c.id === id);
      if (!before) return;
      const original = follow(editor, before);
      removeCodings(editor.view, [id]);
      const reply = await post({ intent: "remove", codingId: id });
      const back = original();
      if (editor.isDestroyed) return;
      if (!reply.body?.ok) {
        addCodings(editor.view, [back]);
        refuse(reply);
        return;
      }
      setMessage({ tone: "ok", key: "messages.removed" });
    },
    [editor, post, refuse],
  );

  // Without a selection there is nothing to code: said at once (the alert in the panel), the keyboard stays in the
  // text, rather than after a code was chosen in a picker that could not apply it.
  const openPicker = useCallback(() => {
    if (editor && !selectedPassage(editor.state)) {
      setMessage({ tone: "error", key: "messages.noSelection" });
      return;
    }
    setMessage((m) => (m?.key === "messages.noSelection" ? null : m));
    setPickerOpen(true);
  }, [editor]);

  /**
   * The codings as the server lists them now, for the editor's text as just saved (after a merge, which the server's
   * diff moved them through, docs/decisions/0008); null: none shown until then.
   */
  const reload = useCallback(
    (codings: ServerCoding[] | null) => {
      if (!editor || !options.setup) return;
      resetCodings(editor.view, codings ? toEditorCodings(textIndex(editor), codings) : [], setup.codes);
      if (codings) setMeta(new Map(codings.map((c) => [c.id, metaOf(c)])));
    },
    [editor, options.setup, setup.codes],
  );

  return {
    setup,
    reload,
    codes: setup.codes,
    codeById,
    meta,
    message,
    setMessage,
    pickerOpen,
    openPicker,
    closePicker: useCallback(() => setPickerOpen(false), []),
    recent,
    busy,
    apply,
    setToSelection,
    setComment,
    remove,
  };
}
