// Reading the import form: multipart with the file held in memory up to the upload limit (refused while it
// streams in, not after), then the CSRF token checked like every form. A form sent without a file (not
// multipart) goes through readForm, so a missing token is a 403 either way.
import { json, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, MaxPartSizeExceededError } from "@remix-run/node";
import { checkCsrf, readForm } from "../auth/csrf.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { validationMessage } from "../utils/validation.ts";
import { REFI_LIMITS } from "./limits.ts";

const tooLarge = () =>
  json(
    { intent: null, result: { status: "error" as const, error: { file: [validationMessage("refi:import.errors.tooLarge", { mb: REFI_LIMITS.uploadBytes / 1024 / 1024 })] } }, report: null, refusal: null },
    { status: 413 },
  );

export async function readImportForm(request: Request, user: SessionUser): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) return readForm(request, user);
  // The form fields around the file are small; a body much larger than the limit is refused unread.
  if (Number(request.headers.get("content-length") ?? 0) > REFI_LIMITS.uploadBytes + 1024 * 1024) throw tooLarge();
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: REFI_LIMITS.uploadBytes }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw tooLarge();
    throw new Response("bad form", { status: 400 });
  }
  checkCsrf(form, user);
  return form;
}
