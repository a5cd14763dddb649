// HTTP server: Express in front of the Remix request handler. Adds the per-request CSP nonce,
// security headers, the cross-site request check and static files. Started by scripts/start.sh.
import crypto from "node:crypto";
import path from "node:path";
import url from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import { securityHeaders, refuseCrossSite, stampRemoteAddress } from "./security.js";
import { withMethodRefusals } from "./methods.js";
import { withResourceRequestMarks } from "./resource-requests.js";
import { lingerBeforeClose } from "./linger.js";
import { startEmbeddedWorker } from "../../transcription/supervisor.js";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..", "..");

export async function createServer({ buildPath = path.join(root, "build", "index.js") } = {}) {
  const build = withResourceRequestMarks(withMethodRefusals(await import(url.pathToFileURL(buildPath).href)));
  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY === "true") app.set("trust proxy", true);

  app.use(lingerBeforeClose);
  app.use((req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(securityHeaders());
  app.use(stampRemoteAddress);
  app.use(refuseCrossSite);
  app.use(compression());
  // Fingerprinted build assets can be cached for a year; everything else briefly.
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      // Always "production" for requests: Remix's development mode answers a failing loader or action with its
      // message and stack (server paths) to anyone, also signed out; this server never runs `remix dev`.
      // LEBENSWEGE_DEBUG_ERRORS=true gives developers the details back (never with real data).
      mode: process.env.LEBENSWEGE_DEBUG_ERRORS === "true" ? "development" : "production",
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
    }),
  );
  // Errors before Remix (a path that is no valid URL encoding, /%E0%A4%A): a short answer, never a stack trace
  // (Express's own handler shows one outside production, with the server's paths in it).
  app.use(
    /** @type {import("express").ErrorRequestHandler} */
    (error, _req, res, next) => {
      if (res.headersSent) return next(error);
      const status = Number(error?.status ?? error?.statusCode) || 500;
      if (status >= 500) console.error(error);
      res.status(status).type("text/plain").send(status === 400 ? "Bad request" : status < 500 ? "Request refused" : "Internal server error");
    },
  );
  return app;
}

if (import.meta.url === url.pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const app = await createServer();
  /** @type {ReturnType<typeof startEmbeddedWorker>} */
  let worker = null;
  const server = app.listen(port, host, () => {
    console.log(`Lebenswege is running on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
    // TRANSCRIPTION_WORKER=embedded (default): one transcription worker runs beside the server, at lower priority.
    // Started once the server listens, so a server that cannot start leaves no worker behind.
    worker = startEmbeddedWorker();
  });
  server.on("error", (error) => {
    const reason =
      /** @type {NodeJS.ErrnoException} */ (error).code === "EADDRINUSE"
        ? `port ${port} on ${host} is already in use (another Lebenswege or program?); stop it or set PORT to a free port`
        : /** @type {NodeJS.ErrnoException} */ (error).code === "EACCES"
          ? `no permission to listen on port ${port} (ports below 1024 need root); set PORT to 1024 or above`
          : error.message;
    console.error(`Lebenswege cannot start: ${reason}.`);
    process.exit(1);
  });
  // Uploads of several GB over a slow line take longer than Node's default 300 s per request.
  server.requestTimeout = 12 * 3600_000;
  const stop = () => Promise.all([worker?.stop(), new Promise((resolve) => server.close(resolve))]).then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
