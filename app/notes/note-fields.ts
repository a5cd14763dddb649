// Biography note vocabulary, shared by server and browser.
import { z } from "zod";
import { choice, dateField, requiredText } from "../utils/validation.ts";

export const NOTE_TYPES = ["course", "event", "goal", "other"] as const;
export type NoteType = (typeof NOTE_TYPES)[number];

/** Title, type and the date the note is about (a goal may lie in the future); the rich text is read separately. */
export const noteSchema = z.object({
  title: requiredText(200),
  type: choice(NOTE_TYPES),
  noteDate: dateField({ allowFuture: true }),
});
