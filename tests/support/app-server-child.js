// Child process started by tests/support/app-server.ts: the real HTTP server (app/http/server.js) on a free
// 127.0.0.1 port. Reports the port and the build's route manifest to the parent over IPC.
import url from "node:url";
import { createServer } from "../../app/http/server.js";

const buildPath = process.env.TEST_BUILD_PATH;
if (!buildPath) throw new Error("TEST_BUILD_PATH is not set");
const build = await import(url.pathToFileURL(buildPath).href);
const app = await createServer({ buildPath });

const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const routes = Object.values(build.routes).map((r) => ({
    id: r.id,
    parentId: r.parentId ?? null,
    path: r.path ?? null,
    index: Boolean(r.index),
    hasLoader: typeof r.module.loader === "function",
    hasAction: typeof r.module.action === "function",
    hasComponent: typeof r.module.default === "function",
  }));
  process.send?.({ type: "ready", port: typeof address === "object" && address ? address.port : 0, routes });
});

function stop() {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
// The test worker went away (crash, timeout): do not outlive it.
process.on("disconnect", stop);
