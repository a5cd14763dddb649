import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server.ts";
import { homeFor } from "../permissions/home.ts";

/** The start page depends on the role: the register for managers and admins, statistics otherwise. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  throw redirect(homeFor(user.roles));
}
