// What a notes or memo page shows when its save was refused (docs/decisions/0013): saved meanwhile by someone
// else (the newer text to compare, the person's own stays in the editor below), or deleted meanwhile.
import { RichTextView } from "./rich-text-editor.tsx";

export function RefusedSave({ reason, message, newer }: { reason: "conflict" | "gone"; message: string; newer: { summary: string; title: string; html: string } }) {
  if (reason === "gone") {
    return (
      <p className="form-error" role="alert">
        {message}
      </p>
    );
  }
  return (
    <div className="form-error" role="alert">
      <p>{message}</p>
      <details className="conflict-newer">
        <summary>{newer.summary}</summary>
        <p>
          <strong>{newer.title}</strong>
        </p>
        <RichTextView html={newer.html} />
      </details>
    </div>
  );
}
