// The editor's codings <-> the server's code point offsets, for the document as it is now.
import type { Editor } from "@tiptap/react";
import { fromEditor } from "../../transcripts/editor/extensions.ts";
import { codingsOf, type EditorCoding } from "./codings-plugin.ts";
import { indexFor, type PlainTextIndex } from "./plain-text.ts";
import type { Anchors } from "./schemas.ts";

export const textIndex = (editor: Editor): PlainTextIndex => indexFor(editor.state.doc, () => fromEditor(editor));

/** A passage of the document in code points of the text as it will be saved. */
export const toSpan = (index: PlainTextIndex, range: { from: number; to: number }) => ({ start: index.toCodePoint(range.from, "start"), end: index.toCodePoint(range.to, "end") });

/** What a save sends about codings: every coding the server knows of, and where those that still have words are. */
export function anchorsOf(editor: Editor): Anchors {
  const index = textIndex(editor);
  const known: string[] = [];
  const positions: Anchors["positions"] = [];
  for (const c of codingsOf(editor.state).codings) {
    if (c.pending) continue;
    known.push(c.id);
    if (c.orphaned) continue;
    const span = toSpan(index, c);
    if (span.end > span.start) positions.push({ id: c.id, ...span });
  }
  return { known, positions };
}
