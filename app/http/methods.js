// Resource routes (downloads, CSV, media, JSON for scripts) answer a method they do not take with a clear 405: the
// Allow header and a sentence in the reader's language. Remix alone answers a POST to a route without an action
// with 405 and {"message":"Unexpected Server Error"}, and a GET to one without a loader with 400 and the same.
// Pages are left alone: their error boundary already explains the status.

/** The build with a refusing action (or loader) added to every resource route that lacks one. */
export function withMethodRefusals(build) {
  /** @type {(request: Request, allow: string[]) => Response} */
  const refuse = build.entry.module.methodNotAllowed;
  if (typeof refuse !== "function") throw new Error("the build's entry.server does not export methodNotAllowed");
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const m = route.module;
      if (typeof m.default === "function") return [id, route];
      if (typeof m.loader === "function" && typeof m.action !== "function") {
        const action = ({ request }) => {
          throw refuse(request, ["GET", "HEAD"]);
        };
        return [id, { ...route, module: { ...m, action } }];
      }
      if (typeof m.action === "function" && typeof m.loader !== "function") {
        const loader = ({ request }) => {
          throw refuse(request, ["POST"]);
        };
        return [id, { ...route, module: { ...m, loader } }];
      }
      return [id, route];
    }),
  );
  return { ...build, routes };
}
