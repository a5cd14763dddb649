// /healthz tells a load balancer (and the operator) that the recording storage does not answer, not only the database.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createStorage, storage } from "./storage.server.ts";
import { loader } from "../routes/healthz.tsx";

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
});
