// A real S3-compatible server for tests and the upload benchmark: s3rver on 127.0.0.1, a free port, its own
// temporary folder, one bucket. leftovers() lists every file s3rver holds, so a test can prove that a failed
// upload left neither an object nor multipart parts behind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { StorageConfig } from "../../app/storage/storage.server.ts";

type KoaContext = { method: string; path: string; query: Record<string, unknown>; status: number };
type S3rverInstance = {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
};
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass;

export type RunningS3rver = {
  endpoint: string;
  bucket: string;
  dir: string;
  config: Extract<StorageConfig, { kind: "s3" }>;
  /** Environment for an app server that should store in this bucket. */
  env: Record<string, string>;
  /** Files s3rver keeps on disk (objects, their metadata, multipart parts), relative to its folder. */
  leftovers(): string[];
  stop(): Promise<void>;
};

export async function startS3rver(options: { bucket?: string; parentDir?: string } = {}): Promise<RunningS3rver> {
  const bucket = options.bucket ?? "lebenswege-test";
  const dir = fs.mkdtempSync(path.join(options.parentDir ?? process.env.TEST_TMP_DIR ?? os.tmpdir(), "s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: process.env.S3RVER_LOG !== "1", directory: dir, configureBuckets: [{ name: bucket }] });
  // s3rver 3.7.1 answers AbortMultipartUpload with 405 and keeps the parts. S3, MinIO and Ceph delete them; this
  // shim does the same, so a test sees exactly what our code asked for: parts left over mean nobody aborted.
  server.middleware.unshift(async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method === "DELETE" && typeof uploadId === "string" && /^[0-9a-f]+$/.test(uploadId)) {
      const bucketName = decodeURIComponent(ctx.path.split("/")[1] ?? "");
      fs.rmSync(path.join(dir, bucketName, "._S3rver_uploads", uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's default credentials
  const config = { kind: "s3" as const, endpoint, region: "eu-central-1", bucket, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true };
  return {
    endpoint,
    bucket,
    dir,
    config,
    env: {
      STORAGE: "s3",
      S3_ENDPOINT: endpoint,
      S3_REGION: config.region,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: config.accessKeyId,
      S3_SECRET_ACCESS_KEY: config.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    leftovers: () => walk(path.join(dir, bucket)).map((f) => path.relative(dir, f)),
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}
