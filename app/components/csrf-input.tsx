import { useRouteLoaderData } from "@remix-run/react";

/** Hidden CSRF token; put it in every <Form method="post"> of a signed-in page. */
export function CsrfInput() {
  const data = useRouteLoaderData("root") as { csrfToken: string | null } | undefined;
  return <input type="hidden" name="_csrf" value={data?.csrfToken ?? ""} />;
}
