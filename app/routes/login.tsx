import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { login } from "../auth/login.server.ts";
import { getSessionUser } from "../auth/session.server.ts";
import { FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { passwordInput, requiredText } from "../utils/validation.ts";
import { safeRedirect } from "../utils/redirect.ts";
import { pageTitle } from "../i18n/title.server.ts";

const LoginSchema = z.object({
  username: requiredText(100),
  password: passwordInput(),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return json({ title: pageTitle(request, "auth:login.title") });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: LoginSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await login(request, submission.value.username, submission.value.password);
  if (!result.ok) {
    const message = { throttled: "login.throttled", failed: "login.failed", "one-time-expired": "login.oneTimeExpired" }[result.reason];
    return json(submission.reply({ formErrors: [message], hideFields: ["password"] }), {
      status: result.reason === "throttled" ? 429 : 401,
    });
  }
  const headers = new Headers();
  for (const c of result.cookies) headers.append("Set-Cookie", c);
  return redirect(safeRedirect(submission.value.redirectTo, "/"), { headers });
}

export default function LoginPage() {
  const { t } = useTranslation("auth");
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <div className="login">
      <h1>{t("login.title")}</h1>
      <p className="muted">{t("login.intro")}</p>
      {/* reloadDocument: the first page after login is loaded whole, in the user's language (see app-shell.tsx). */}
      <Form method="post" reloadDocument {...getFormProps(form)}>
        <FormErrors errors={form.errors?.map((e) => `auth:${e}`)} id={form.errorId} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField field={fields.username} label={t("login.username")} autoComplete="username" autoFocus />
        <TextField field={fields.password} label={t("login.password")} type="password" autoComplete="current-password" />
        <button type="submit">{t("login.submit")}</button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
