// The real app over HTTP for tests: app/http/server.js in a child process (its own environment, so a test can
// start servers with different settings), the build prepared by tests/support/build.ts, a seeded database,
// and a small cookie-jar client that signs in like a browser.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createDb, db as defaultDb, type Db } from "../../app/db/client.server.ts";
import { hashPassword } from "../../app/auth/password.server.ts";
import { DEMO_USERS } from "../../prisma/seed/demo.ts";
import { createTestDatabase } from "./db.ts";
import { copySeededTemplate, seedDemoDistrict } from "./seed-template.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

export type RouteInfo = {
  id: string;
  parentId: string | null;
  path: string | null;
  index: boolean;
  hasLoader: boolean;
  hasAction: boolean;
  /** false for resource routes (no page: CSV, health check, action-only routes) */
  hasComponent: boolean;
};

export type StartOptions = {
  /** Extra environment for the server process (SESSION_IDLE_MINUTES, TRUST_PROXY, ...). */
  env?: Record<string, string>;
  /** Defaults to this test file's database (DATABASE_URL from tests/support/setup-env.ts); "fresh" makes a new one. */
  databaseUrl?: string | "fresh";
  /** Demo data to load first; false for none. Default: reference data + 60 demo cases. */
  seed?: false | { cases: number };
};

export type AppServer = {
  origin: string;
  databaseUrl: string;
  /** A Prisma client on the server's database, to arrange or inspect state. */
  db: Db;
  routes: RouteInfo[];
  /** stdout and stderr of the server so far (for failure messages). */
  output(): string;
  client(): HttpClient;
  loginAs(username: string, options?: { password?: string; headers?: Record<string, string> }): Promise<HttpClient>;
  stop(): Promise<void>;
};

export async function startAppServer(options: StartOptions = {}): Promise<AppServer> {
  const buildPath = process.env.TEST_BUILD_PATH;
  if (!buildPath) throw new Error("TEST_BUILD_PATH is not set: tests/support/build.ts must be in vitest's globalSetup");
  const databaseUrl = options.databaseUrl === "fresh" ? await createTestDatabase() : (options.databaseUrl ?? process.env.DATABASE_URL!);
  const db = databaseUrl === process.env.DATABASE_URL ? defaultDb : createDb(databaseUrl);
  if (options.seed !== false) {
    const cases = options.seed?.cases ?? 60;
    if (!(await copySeededTemplate(databaseUrl, cases))) await seedDemoDistrict(db, cases);
  }

  const child = fork(path.join(root, "tests", "support", "app-server-child.js"), [], {
    cwd: root,
    // TEST_APP_SERVER_PROFILE=<folder>: each test server writes a V8 CPU profile there when it stops (open it in
    // Chrome's DevTools); for finding where the server's time goes in a test run.
    execArgv: process.env.TEST_APP_SERVER_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.TEST_APP_SERVER_PROFILE}`] : [],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      TEST_BUILD_PATH: buildPath,
      ...options.env,
    },
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const ready = await waitReady(child, () => output);
  const origin = `http://127.0.0.1:${ready.port}`;

  return {
    origin,
    databaseUrl,
    db,
    routes: ready.routes,
    output: () => output,
    client: () => new HttpClient(origin),
    async loginAs(username, opts = {}) {
      const client = new HttpClient(origin, opts.headers);
      await client.login(username, opts.password ?? demoPassword(username));
      return client;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      if (db !== defaultDb) await db.$disconnect();
    },
  };
}

function waitReady(child: ChildProcess, output: () => string): Promise<{ port: number; routes: RouteInfo[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`app server did not start within 30 s:\n${output()}`));
    }, 30_000);
    child.once("message", (m: { type: string; port: number; routes: RouteInfo[] }) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app server exited (code ${code}) before it was ready:\n${output()}`));
    });
  });
}

export function demoPassword(username: string): string {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`${username} is not a demo user (prisma/seed/demo.ts DEMO_USERS)`);
  return user.password;
}

/** A user beyond the demo set, for tests that lock, expire or end sessions without disturbing others. */
export async function createTestUser(db: Db, username: string, password: string, roles: string[], municipalityIds: string[] = []) {
  return db.user.create({
    data: {
      username,
      displayName: username,
      passwordHash: await hashPassword(password),
      roles: { create: roles.map((role) => ({ role })) },
      municipalities: { create: municipalityIds.map((municipalityId) => ({ municipalityId })) },
    },
    select: { id: true },
  });
}

export const SESSION_COOKIE = "lw_session";

type PostOptions = { origin?: string | null; headers?: Record<string, string> };

/** fetch with a cookie jar and no automatic redirects, like a browser tab that shows each hop. */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  username: string | null = null;

  constructor(
    readonly origin: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(this.extraHeaders);
    for (const [k, v] of new Headers(init.headers)) headers.set(k, v);
    if (this.cookies.size && !headers.has("cookie")) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const send = () => fetch(new URL(pathOrUrl, this.origin), { ...init, headers, redirect: "manual" });
    const res = await send().catch((error: TypeError & { cause?: { code?: string } }) => {
      // A kept-alive connection the server closed for idleness just as this request went out on it (the server's
      // 5 s against the client's timer on a busy machine): a browser sends a GET again on a new connection; so does
      // this client. Other methods are not repeated.
      const idempotent = !init.method || init.method === "GET" || init.method === "HEAD";
      if (idempotent && (error.cause?.code === "UND_ERR_SOCKET" || error.cause?.code === "ECONNRESET")) return send();
      throw error;
    });
    for (const line of res.headers.getSetCookie()) this.storeCookie(line);
    return res;
  }

  get(pathOrUrl: string, headers: Record<string, string> = {}) {
    return this.fetch(pathOrUrl, { headers });
  }

  /** A form POST as a browser sends it: same-origin Origin header unless told otherwise (null: none). */
  post(pathOrUrl: string, form: Record<string, string> = {}, options: PostOptions = {}) {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...options.headers };
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.fetch(pathOrUrl, { method: "POST", body: new URLSearchParams(form).toString(), headers });
  }

  /** The session's CSRF token, from the root loader's data. */
  async csrfToken(): Promise<string> {
    const res = await this.get("/?_data=root");
    const data = (await res.json()) as { csrfToken: string | null };
    if (!data.csrfToken) throw new Error(`${this.username ?? "anonymous"} has no session (no CSRF token)`);
    return data.csrfToken;
  }

  /** Follows redirects (document 3xx and Remix data redirects) and returns every hop. */
  async follow(pathOrUrl: string, maxHops = 5): Promise<{ res: Response; chain: string[] }> {
    const chain = [pathOrUrl];
    let res = await this.get(pathOrUrl);
    for (let hop = 0; hop < maxHops; hop++) {
      const next = redirectTarget(res);
      if (!next) return { res, chain };
      await res.body?.cancel();
      chain.push(next);
      res = await this.get(next);
    }
    throw new Error(`too many redirects: ${chain.join(" -> ")}`);
  }

  async login(username: string, password: string) {
    const res = await this.post("/login", { username, password });
    await res.body?.cancel();
    if (res.status !== 302 || !this.cookies.has(SESSION_COOKIE)) {
      throw new Error(`login as ${username} failed: HTTP ${res.status}`);
    }
    this.username = username;
  }

  private storeCookie(line: string) {
    const [pair, ...attrs] = line.split(";");
    const eq = pair!.indexOf("=");
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attrs.some((a) => {
      const [k, v] = a.split("=").map((s) => s.trim());
      if (k?.toLowerCase() === "max-age") return Number(v) <= 0;
      if (k?.toLowerCase() === "expires") return new Date(v ?? "").getTime() <= Date.now();
      return false;
    });
    if (expired || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** Where a response sends the browser: a 3xx Location, or a Remix data redirect (204 + X-Remix-Redirect). */
export function redirectTarget(res: Response): string | null {
  const remix = res.headers.get("x-remix-redirect");
  if (remix) return remix;
  if (res.status >= 300 && res.status < 400) return res.headers.get("location");
  return null;
}
