import crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SearchConfigError, parseSearchConfig } from "../search/config.ts";
import { EnvError, parseEnv } from "./env.server.ts";

const valid = {
  SESSION_SECRET: "s".repeat(32),
  IDENTITY_KEY: crypto.randomBytes(32).toString("base64"),
};

const parse = (env: Record<string, string>) => parseEnv(env as NodeJS.ProcessEnv);

/** The message parseEnv throws, or "" when the environment is accepted. */
function messageFor(env: Record<string, string>): string {
  try {
    parse(env);
    return "";
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as Error).message;
  }
}

afterEach(() => vi.unstubAllEnvs());

describe("parseEnv", () => {
  it("accepts a minimal configuration and fills the defaults", () => {
    const env = parse(valid);
    expect(env).toMatchObject({ NODE_ENV: "development", PORT: 3000, HOST: "127.0.0.1", DATABASE_URL: "file:./data/lebenswege.db", SESSION_IDLE_MINUTES: 30, SESSION_ABSOLUTE_HOURS: 12, LOGIN_MAX_FAILURES: 5 });
    expect(parse({ ...valid, DATABASE_URL: "postgresql://app@db:5432/lebenswege" }).DATABASE_URL).toMatch(/^postgresql:/);
    expect(parse({ ...valid, DATABASE_URL: "postgres://app@db/lebenswege" }).DATABASE_URL).toMatch(/^postgres:/);
  });

  it("names a wrong DATABASE_URL and says what it must look like", () => {
    for (const url of ["mysql://db/x", "./data/x.db", ""]) {
      expect(messageFor({ ...valid, DATABASE_URL: url })).toContain("DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL)");
    }
  });

  it("names a missing or short SESSION_SECRET and how to make one", () => {
    expect(messageFor({ ...valid, SESSION_SECRET: "too-short" })).toContain("SESSION_SECRET: must be at least 32 characters (openssl rand -hex 32)");
    const { SESSION_SECRET: _, ...withoutSecret } = valid;
    expect(messageFor(withoutSecret)).toContain("SESSION_SECRET: is not set; expected at least 32 characters (openssl rand -hex 32)");
  });

  it("names an identity key of the wrong length, and a malformed old key", () => {
    for (const key of [crypto.randomBytes(16).toString("base64"), crypto.randomBytes(33).toString("base64"), "not base64 at all"]) {
      expect(messageFor({ ...valid, IDENTITY_KEY: key })).toContain("IDENTITY_KEY: must be 32 random bytes, base64-encoded (openssl rand -base64 32)");
    }
    expect(messageFor({ ...valid, IDENTITY_OLD_KEYS: `k0:${crypto.randomBytes(16).toString("base64")}` })).toContain("IDENTITY_OLD_KEYS: format id:base64key[,id:base64key]");
    expect(messageFor({ ...valid, IDENTITY_OLD_KEYS: `k0:${crypto.randomBytes(32).toString("base64")}` })).toBe("");
    expect(messageFor({ ...valid, IDENTITY_KEY_ID: "Key 1" })).toContain("IDENTITY_KEY_ID: lower-case letters, digits and - only");
  });

  it("refuses demo data in production, unless a showcase server says so explicitly", () => {
    const production = { ...valid, NODE_ENV: "production", DEMO_DATA: "true" };
    expect(messageFor(production)).toContain("DEMO_DATA: demo data is never loaded in production");
    expect(messageFor({ ...production, DEMO_DATA: "false" })).toBe("");
    expect(messageFor({ ...valid, NODE_ENV: "development", DEMO_DATA: "true" })).toBe("");
    // The override is read from the process environment today; given in both places it works either way.
    vi.stubEnv("ALLOW_DEMO_IN_PRODUCTION", "true");
    expect(messageFor({ ...production, ALLOW_DEMO_IN_PRODUCTION: "true" })).toBe("");
  });

  it("lists every wrong value at once, one line each, and points to the documentation", () => {
    const message = messageFor({ ...valid, DATABASE_URL: "mysql://x", SESSION_SECRET: "short", PORT: "eighty", SECURE_COOKIES: "yes", SESSION_IDLE_MINUTES: "0" });
    const lines = message.split("\n").filter((l) => l.startsWith("  - "));
    expect(lines.map((l) => l.slice(4).split(":")[0])).toEqual(["PORT", "DATABASE_URL", "SESSION_SECRET", "SESSION_IDLE_MINUTES", "SECURE_COOKIES"]);
    expect(message).toMatch(/^Lebenswege cannot start, the configuration is invalid:/);
    expect(message).toContain('See README.md, section "Configuration".');
  });

  it("repeats a wrong value and says what a right one looks like, instead of zod's \"Expected number, received nan\"", () => {
    expect(messageFor({ ...valid, PORT: "abc" })).toContain('PORT: expected a port number 1-65535, got "abc"');
    expect(messageFor({ ...valid, PORT: "70000" })).toContain('PORT: expected a port number 1-65535, got "70000"');
    expect(messageFor({ ...valid, UPLOAD_MAX_BYTES: "8GB" })).toContain('UPLOAD_MAX_BYTES: expected a number of bytes, e.g. 8589934592 (8 GiB), got "8GB"');
    expect(messageFor({ ...valid, SECURE_COOKIES: "yes" })).toContain('SECURE_COOKIES: expected one of auto, true, false, got "yes"');
    expect(messageFor({ ...valid, SESSION_IDLE_MINUTES: "0" })).toContain('SESSION_IDLE_MINUTES: expected a whole number of minutes, 1-1440, got "0"');
    expect(messageFor({ ...valid, DATABASE_URL: "mysql://app:hunter2@db/x" })).toContain('DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL), got "mysql://app:***@db/x"');
    expect(messageFor({ ...valid, PORT: "abc" })).not.toMatch(/Expected number|received nan/);
  });

  it("says which wrong values came from .env", () => {
    let text = "";
    try {
      parseEnv({ ...valid, PORT: "abc", SESSION_SECRET: "short-but-secret", SESSION_IDLE_MINUTES: "0" } as Record<string, string> as NodeJS.ProcessEnv, { fromEnvFile: new Set(["PORT", "SESSION_SECRET"]) });
    } catch (e) {
      text = (e as Error).message;
    }
    expect(text).toContain('PORT: expected a port number 1-65535, got "abc"; set in .env');
    expect(text).toContain("SESSION_SECRET: must be at least 32 characters (openssl rand -hex 32); set in .env");
    expect(text).not.toContain("short-but-secret");
    expect(text).toMatch(/SESSION_IDLE_MINUTES: [^\n]*"0"\n/); // from the environment: no note
  });

  it("never echoes a secret value in its message", () => {
    const secret = "short-but-secret";
    const key = crypto.randomBytes(20).toString("base64");
    const message = messageFor({ SESSION_SECRET: secret, IDENTITY_KEY: key });
    expect(message).not.toContain(secret);
    expect(message).not.toContain(key);
    const s3 = messageFor({ ...valid, STORAGE: "s3", S3_BUCKET: "b", S3_ACCESS_KEY_ID: "AKIA-secret-id", S3_SECRET_ACCESS_KEY: "", S3_ENDPOINT: "not a url" });
    expect(s3).toContain("S3_SECRET_ACCESS_KEY: is required when STORAGE=s3");
    expect(s3).toContain('S3_ENDPOINT: must be a URL, e.g. https://s3.example.org, got "not a url"');
    const oldKey = `k0:${crypto.randomBytes(16).toString("base64")}`;
    expect(messageFor({ ...valid, IDENTITY_OLD_KEYS: oldKey })).not.toContain(oldKey.slice(3));
  });
});

describe("parseSearchConfig", () => {
  it("repeats a wrong SEARCH_ENGINE and lists the engines", () => {
    let message = "";
    try {
      parseSearchConfig({ SEARCH_ENGINE: "foo", SEARCH_OUTBOX_POLL_MS: "1s" } as Record<string, string> as NodeJS.ProcessEnv);
    } catch (e) {
      expect(e).toBeInstanceOf(SearchConfigError);
      message = (e as Error).message;
    }
    expect(message).toContain('SEARCH_ENGINE: expected one of auto, fts5, postgres, meilisearch, got "foo"');
    expect(message).toContain('SEARCH_OUTBOX_POLL_MS: expected a whole number of milliseconds, 10-600000, got "1s"');
    expect(message).not.toContain("Invalid enum value");
  });
});
