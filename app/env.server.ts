// Configuration is read once and validated at start-up; every wrong value gets its own clear message.
import path from "node:path";
import { z } from "zod";
import { type EnvOrigin, describeEnvIssues } from "./env-issues.ts";
import { providerOf } from "./db/provider.ts";

/** A whole number from min to max; the description is what a message about a wrong value says is expected. */
const wholeNumber = (min: number, max: number, unit: string) => z.coerce.number().int().min(min).max(max).describe(`a whole number of ${unit}, ${min}-${max}`);

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 random bytes, base64-encoded (openssl rand -base64 32)");

const fields = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).describe("a port number 1-65535").default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .default("file:./data/lebenswege.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), "must start with file: (SQLite) or postgresql:// (PostgreSQL)"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -hex 32)").describe("at least 32 characters (openssl rand -hex 32)"),
  // The AES-256-GCM key for identity data.
  IDENTITY_KEY: base64Key.describe("32 random bytes, base64-encoded (openssl rand -base64 32)"),
  IDENTITY_KEY_ID: z.string().regex(/^[a-z0-9-]{1,32}$/, "lower-case letters, digits and - only").default("k1"),
  // Earlier keys stay readable during key rotation: "id:base64,id:base64".
  IDENTITY_OLD_KEYS: z
    .string()
    .default("")
    .refine((v) => v === "" || v.split(",").every((p) => /^[a-z0-9-]{1,32}:/.test(p) && Buffer.from(p.split(":")[1] ?? "", "base64").length === 32), "format id:base64key[,id:base64key]"),
  SESSION_IDLE_MINUTES: wholeNumber(1, 24 * 60, "minutes").default(30),
  SESSION_ABSOLUTE_HOURS: wholeNumber(1, 24 * 7, "hours").default(12),
  SECURE_COOKIES: z.enum(["auto", "true", "false"]).default("auto"),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  DEMO_DATA: z.enum(["true", "false"]).optional(),
  LOGIN_MAX_FAILURES: wholeNumber(1, 100, "failed logins").default(5),
  LOGIN_WINDOW_MINUTES: wholeNumber(1, 24 * 60, "minutes").default(15),
  // Recordings and scanned consent forms: a local folder (default) or S3-compatible object storage.
  STORAGE: z.enum(["local", "s3"]).default("local"),
  STORAGE_DIR: z.string().min(1, "must not be empty").default("./data/storage"),
  S3_ENDPOINT: z.string().url("must be a URL, e.g. https://s3.example.org").optional(),
  S3_REGION: z.string().default("eu-central-1"),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name (3-63 lower-case letters, digits, . and -)").optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("true"),
  // Withdrawals are also written to this file, outside the database, so a restored backup can repeat the ones
  // made after it was taken (npm run restore; ADR 0015). Best kept on another disk than the database.
  WITHDRAWAL_JOURNAL: z.string().min(1, "must not be empty").default("./data/withdrawals.jsonl"),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).describe("a number of bytes, e.g. 8589934592 (8 GiB)").default(8 * 1024 ** 3),
  // Transcription (whisper.cpp through smart-whisper). No model: the app says so and explains how to add one.
  WHISPER_MODEL: z.string().optional(),
  WHISPER_THREADS: wholeNumber(1, 64, "threads").default(1),
  WHISPER_NICE: z.coerce.number().int().min(0).max(19).describe("a nice level 0-19 (19: lowest priority)").default(10),
  // Pauses of 0.6 s and more are shortened to 0.4 s before whisper hears them (ADR 0006).
  WHISPER_SHORTEN_PAUSES: z.enum(["on", "off"]).default("on"),
  TRANSCRIPTION_WORKER: z.enum(["embedded", "off"]).default("embedded"),
  ALLOW_DEMO_IN_PRODUCTION: z.enum(["true", "false"]).optional(),
};

const schema = z
  .object(fields)
  .superRefine((env, ctx) => {
    if (env.STORAGE === "s3") {
      for (const key of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when STORAGE=s3" });
      }
    }
    if (env.NODE_ENV === "production" && env.DEMO_DATA === "true" && env.ALLOW_DEMO_IN_PRODUCTION !== "true") {
      ctx.addIssue({ code: "custom", path: ["DEMO_DATA"], message: "demo data is never loaded in production (set ALLOW_DEMO_IN_PRODUCTION=true for a showcase server)" });
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

/** `origin` names the variables that came from .env, so a message can say where to fix them. */
export function parseEnv(source: NodeJS.ProcessEnv, origin?: EnvOrigin): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = describeEnvIssues(result.error.issues, source, fields, origin);
    throw new EnvError(`Lebenswege cannot start, the configuration is invalid:\n${lines.join("\n")}\nSee README.md, section "Configuration".`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export const isPostgres = () => providerOf(env().DATABASE_URL) === "postgres";

/** The file of a SQLite DATABASE_URL ("file:./data/x.db?mode=..."), as an absolute path. */
export const sqliteFilePath = (url: string) => path.resolve(url.slice("file:".length).replace(/\?.*$/, ""));
