// 4xx exits as thrown Responses; the route's ErrorBoundary turns them into the app's error page.
export function forbidden(message = "forbidden"): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

export function invariantResponse(condition: unknown, status: 400 | 403 | 404 | 409 | 413 | 415 | 422 = 404, message?: string): asserts condition {
  if (!condition) throw new Response(message ?? String(status), { status });
}
