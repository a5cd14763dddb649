// S3-compatible object storage (AWS, MinIO, Ceph, a Landesrechenzentrum; s3rver in tests). Uploads go through
// @aws-sdk/lib-storage's multipart Upload straight from the request stream, a few parts in memory at a time.
// On failure the multipart upload is aborted (lib-storage waits for parts in flight first), so neither an
// object nor stray parts remain.
import { Readable, pipeline } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { HashingCounter, StorageBucketMissing, StorageNotFound, assertKey, type PutResult } from "./primitives.server.ts";
import type { ByteRange, ProbeSource, Storage, StorageConfig } from "./storage.server.ts";

/**
 * Multipart tuning: the part size times the parts in flight bounds the memory one upload holds. 5 MiB (S3's
 * minimum) and 2 in flight measured ~50 MB peak per upload; larger files get larger parts so that they stay
 * within S3's 10,000 parts.
 */
export const PART_SIZE = 5 * 1024 * 1024;
export const QUEUE_SIZE = 2;
const MAX_PARTS = 9_500;

export function partSizeFor(expectedBytes: number | undefined): number {
  return Math.max(PART_SIZE, Math.ceil((expectedBytes ?? 0) / MAX_PARTS));
}
/** ffprobe reads a stored object through a presigned URL valid this long. */
const PROBE_URL_SECONDS = 300;

/**
 * The AWS SDK loads with the first call on S3 storage, not with every start of the server, a worker or a test file
 * (about 185 ms each, measured over an empty node; most installations store on the local disk).
 */
async function loadSdk() {
  const [s3, { Upload }, { getSignedUrl }] = await Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/lib-storage"), import("@aws-sdk/s3-request-presigner")]);
  return { s3, Upload, getSignedUrl };
}
type Sdk = Awaited<ReturnType<typeof loadSdk>>;
let sdkLoading: Promise<Sdk> | undefined;
const sdk = () => (sdkLoading ??= loadSdk());

/** An error answered by S3 (the SDK is loaded by then: only a call through it throws one). */
type S3Error = { name: string; $metadata?: { httpStatusCode?: number } };
const isS3Error = async (e: unknown): Promise<S3Error | null> => (e instanceof (await sdk()).s3.S3ServiceException ? e : null);

/** A wrong S3_BUCKET, not a missing object: a configuration error, never "the recording is gone". */
const isMissingBucket = async (e: unknown) => (await isS3Error(e))?.name === "NoSuchBucket";

/** HEAD answers a bare 404 "NotFound" for a missing object and a missing bucket alike: stat() asks the bucket then. */
const isNotFound = async (e: unknown) => {
  const answer = await isS3Error(e);
  return !!answer && answer.name !== "NoSuchBucket" && (answer.name === "NoSuchKey" || answer.name === "NotFound" || answer.$metadata?.httpStatusCode === 404);
};

/** A server without the versioning API (s3rver answers MethodNotAllowed, others NotImplemented). */
const isNotImplemented = async (e: unknown) => {
  const answer = await isS3Error(e);
  return !!answer && (answer.name === "NotImplemented" || answer.name === "MethodNotAllowed" || answer.$metadata?.httpStatusCode === 501 || answer.$metadata?.httpStatusCode === 405);
};

type VersionPage = { Versions?: { Key?: string | undefined; VersionId?: string | undefined }[] | undefined; DeleteMarkers?: { Key?: string | undefined; VersionId?: string | undefined }[] | undefined };

/** The versions and delete markers of exactly `key` in a ListObjectVersions page (its prefix also lists "key2"). */
export function versionIdsOf(key: string, page: VersionPage): string[] {
  return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((v) => v.Key === key && v.VersionId).map((v) => v.VersionId!);
}

/** Passes on the first `length` bytes of `source`, then closes it. */
function limitBytes(source: Readable, length: number): Readable {
  async function* take() {
    let left = length;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= part.length;
        yield part;
        if (left <= 0) return;
      }
    } finally {
      source.destroy();
    }
  }
  return Readable.from(take(), { objectMode: false });
}

export function createS3Storage(
  config: Extract<StorageConfig, { kind: "s3" }>,
  tuning: { partSize?: number; queueSize?: number } = {},
): Storage {
  let clientMade: Promise<S3Client> | undefined;
  const madeClient = () =>
    (clientMade ??= sdk().then(
      ({ s3 }) =>
        new s3.S3Client({
          endpoint: config.endpoint,
          region: config.region,
          forcePathStyle: config.forcePathStyle,
          credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
          // We hash every upload ourselves (sha256); the SDK's extra CRC32 trailers are not understood by every
          // S3-compatible server (s3rver, older MinIO/Ceph).
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }),
    ));
  /** The client and the SDK's commands, loaded on first use. */
  const connection = async () => ({ client: await madeClient(), ...(await sdk()) });
  const Bucket = config.bucket;

  async function deleteQuietly(Key: string) {
    const { client, s3: c } = await connection();
    await client.send(new c.DeleteObjectCommand({ Bucket, Key })).catch(() => undefined);
  }

  /** Throws StorageBucketMissing when the bucket is not there; any other failure as it is. */
  async function checkBucket() {
    const { client, s3: c } = await connection();
    try {
      await client.send(new c.HeadBucketCommand({ Bucket }));
    } catch (e) {
      const answer = await isS3Error(e);
      if (answer && (answer.name === "NotFound" || answer.name === "NoSuchBucket" || answer.$metadata?.httpStatusCode === 404)) throw new StorageBucketMissing(Bucket);
      throw e;
    }
  }

  /** A missing bucket named as such (the same error in every call), anything else unchanged. */
  const named = async (e: unknown) => ((await isMissingBucket(e)) ? new StorageBucketMissing(Bucket) : e);

  return {
    kind: "s3",

    async put(key: string, body: Readable, options: { contentType?: string; expectedBytes?: number } = {}): Promise<PutResult> {
      assertKey(key);
      const counter = new HashingCounter();
      // pipeline (not pipe): an error in the request stream reaches the Upload, which then aborts. Joined before the
      // SDK may still be loading, so that an error meanwhile has a listener.
      pipeline(body, counter, () => undefined);
      const { client, Upload } = await connection().catch((error: unknown) => {
        counter.destroy();
        throw error;
      });
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: counter, ContentType: options.contentType ?? "application/octet-stream" },
        partSize: tuning.partSize ?? partSizeFor(options.expectedBytes),
        queueSize: tuning.queueSize ?? QUEUE_SIZE,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        counter.destroy();
        // A single-part upload has no multipart to abort; make sure no object stays either.
        await deleteQuietly(key);
        throw await named(error);
      }
      return counter.result();
    },

    async get(key: string, range?: ByteRange, options: { signal?: AbortSignal } = {}): Promise<Readable> {
      assertKey(key);
      const { client, s3: c } = await connection();
      try {
        const res = await client.send(
          new c.GetObjectCommand({ Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
          { abortSignal: options.signal },
        );
        const body = res.Body as Readable;
        // Some S3-compatible servers answer a range with more than asked (s3rver: bytes=0-0 returns everything),
        // or ignore it: check where the answer starts and never pass on more than the range.
        if (range && !res.ContentRange?.startsWith(`bytes ${range.start}-`)) {
          body.destroy();
          throw new Error(`storage answered range ${range.start}-${range.end} with ${res.ContentRange ?? "the whole object"}`);
        }
        const out = range ? limitBytes(body, range.end - range.start + 1) : body;
        // A player that seeks cancels its request: stop reading from S3 at once (ends the stream, no error).
        options.signal?.addEventListener("abort", () => out.destroy(), { once: true });
        return out;
      } catch (e) {
        if (await isNotFound(e)) throw new StorageNotFound(key);
        throw await named(e);
      }
    },

    async stat(key: string) {
      assertKey(key);
      const { client, s3: c } = await connection();
      try {
        const head = await client.send(new c.HeadObjectCommand({ Bucket, Key: key }));
        return { size: head.ContentLength ?? 0 };
      } catch (e) {
        if (!(await isNotFound(e))) throw await named(e);
        await checkBucket();
        return null;
      }
    },

    // Erasure. On a versioned bucket (the README's backup advice) a plain delete only adds a delete marker and
    // every earlier version stays: each version of the key is deleted by its id. A server without versioning
    // (s3rver) refuses the listing; then the plain delete is the whole erasure.
    async delete(key: string) {
      assertKey(key);
      const { client, s3: c } = await connection();
      const ids: string[] = [];
      try {
        let KeyMarker: string | undefined;
        let VersionIdMarker: string | undefined;
        do {
          const page = await client.send(new c.ListObjectVersionsCommand({ Bucket, Prefix: key, KeyMarker, VersionIdMarker }));
          ids.push(...versionIdsOf(key, page));
          [KeyMarker, VersionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [undefined, undefined];
        } while (KeyMarker);
      } catch (e) {
        if (!(await isNotImplemented(e))) throw e;
      }
      for (const VersionId of ids) await client.send(new c.DeleteObjectCommand({ Bucket, Key: key, VersionId }));
      // Unversioned (or nothing listed): the key itself; on a versioned bucket this finds nothing left.
      if (!ids.length) await client.send(new c.DeleteObjectCommand({ Bucket, Key: key }));
    },

    async list() {
      const { client, s3: c } = await connection();
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new c.ListObjectsV2Command({ Bucket, ContinuationToken }));
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },

    // A presigned URL rather than a temporary local copy: ffprobe fetches only the byte ranges it needs (the
    // headers, for MP4 the moov box), the object is never downloaded whole nor written a second time.
    async probeSource(key: string): Promise<ProbeSource> {
      assertKey(key);
      const { client, s3: c, getSignedUrl } = await connection();
      const input = await getSignedUrl(client, new c.GetObjectCommand({ Bucket, Key: key }), { expiresIn: PROBE_URL_SECONDS });
      return { input, protocols: "http,https,tcp,tls" };
    },
  };
}
