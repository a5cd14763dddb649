// Marks each request to a resource route (no page: downloads, CSV, media, JSON for a page's scripts) before its
// loader or action runs, so the session check can refuse such a request with a status instead of redirecting it to
// a page (a one-time password, docs/decisions/0024). Remix treats a route without a default export (and without an
// error boundary) as a resource route; the same test here.

/** The build with every resource route's loader and action marking its request first. */
export function withResourceRequestMarks(build) {
  /** @type {(request: Request) => void} */
  const mark = build.entry.module.markResourceRequest;
  if (typeof mark !== "function") throw new Error("the build's entry.server does not export markResourceRequest");
  const marked = (handler) =>
    typeof handler === "function"
      ? (args) => {
          mark(args.request);
          return handler(args);
        }
      : handler;
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const m = route.module;
      if (typeof m.default === "function" || typeof m.ErrorBoundary === "function") return [id, route];
      return [id, { ...route, module: { ...m, loader: marked(m.loader), action: marked(m.action) } }];
    }),
  );
  return { ...build, routes };
}
