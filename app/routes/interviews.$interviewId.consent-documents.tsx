import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { uploadConsentDocument } from "../recordings/upload.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/interviews/${encodeURIComponent(params.interviewId ?? "")}/consent`);
}

/** Streamed upload of a scanned consent form (PDF, JPEG, PNG, TIFF); answers JSON. */
export const action = refusalsInReadersLanguage(async ({ request, params }: ActionFunctionArgs) => {
  return uploadConsentDocument(request, params.interviewId ?? "");
});

// No ErrorBoundary and no component on purpose: a resource route, so the action's JSON reaches the XHR as it is.
