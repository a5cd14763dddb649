// Security headers (helmet) with a nonce-based Content-Security-Policy, and a cross-site request guard.
import helmet from "helmet";

export function securityHeaders() {
  const dev = process.env.NODE_ENV !== "production";
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${res.locals.cspNonce}'`],
        "style-src": ["'self'"],
        // style attributes (positions in charts, editor marks) but no <style> elements
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": dev ? ["'self'", "ws:"] : ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: process.env.SECURE_COOKIES === "true" ? { maxAge: 31536000 } : false,
  });
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests sent by another site (CSRF defence in depth; forms also carry a token).
 * Browsers send Sec-Fetch-Site and Origin on POST; non-browser clients send neither and have no cookies to abuse.
 */
export function refuseCrossSite(req, res, next) {
  if (SAFE.has(req.method)) return next();
  const site = req.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return res.status(403).type("text/plain").send("cross-site request refused");
  const origin = req.get("origin");
  if (origin && origin !== "null") {
    let host;
    try {
      host = new URL(origin).host;
    } catch {
      host = "";
    }
    if (host !== req.get("host")) return res.status(403).type("text/plain").send("cross-site request refused");
  } else if (origin === "null") {
    return res.status(403).type("text/plain").send("cross-site request refused");
  }
  next();
}

/** Passes the socket address to the app in a header the client cannot set. */
export function stampRemoteAddress(req, _res, next) {
  req.headers["x-lebenswege-remote-addr"] = req.socket.remoteAddress ?? "unknown";
  next();
}
