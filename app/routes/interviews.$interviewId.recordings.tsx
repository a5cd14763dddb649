import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { uploadRecording } from "../recordings/upload.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/interviews/${encodeURIComponent(params.interviewId ?? "")}`);
}

/** Streamed recording upload (raw body from RecordingUpload's XHR); answers JSON. */
export const action = refusalsInReadersLanguage(async ({ request, params }: ActionFunctionArgs) => {
  return uploadRecording(request, params.interviewId ?? "");
});

// No ErrorBoundary and no component on purpose: a resource route, so the action's JSON reaches the XHR as it is.
