// /healthz tells a load balancer (and the operator) that the recording storage does not answer, not only the database.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createStorage, storage } from "./storage.server.ts";
import { loader } from "../routes/healthz.tsx";
import { startS3rver } from "../../tests/recordings/s3rver.ts";

const holder = globalThis as unknown as { __lebenswegeStorage?: ReturnType<typeof storage> };
const configured = storage();
afterEach(() => {
  holder.__lebenswegeStorage = configured;
});

describe("/healthz", () => {
  it("answers ok with the database and the storage reachable", async () => {
    const res = await loader();
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
  });

  it("answers 503 when the storage does not answer (a real S3 client against a port where nothing listens)", async () => {
    holder.__lebenswegeStorage = createStorage({ kind: "s3", endpoint: "http://127.0.0.1:9", region: "eu-central-1", bucket: "lebenswege", accessKeyId: "x", secretAccessKey: "y", forcePathStyle: true });
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await loader();
    expect([res.status, await res.text()]).toEqual([503, "storage unavailable"]);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("answers 503 for a bucket that does not exist on a real S3 server (s3rver), naming S3_BUCKET in the log; ok with the right one", async () => {
    const s3 = await startS3rver();
    try {
      holder.__lebenswegeStorage = createStorage({ ...s3.config, bucket: "lebenswege-typo" });
      const log = vi.spyOn(console, "error").mockImplementation(() => {});
      const res = await loader();
      expect([res.status, await res.text()]).toEqual([503, "storage unavailable"]);
      expect(log.mock.calls.flat().join("\n")).toContain('the storage bucket "lebenswege-typo" does not exist: check S3_BUCKET');
      log.mockRestore();
      holder.__lebenswegeStorage = createStorage(s3.config);
      const right = await loader();
      expect([right.status, await right.text()]).toEqual([200, "ok"]);
    } finally {
      await s3.stop();
    }
  });
});
