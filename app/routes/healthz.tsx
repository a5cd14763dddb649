import { db } from "../db/client.server.ts";
import { newStorageKey, storage } from "../storage/storage.server.ts";

/**
 * Liveness for load balancers: the database answers and the recording storage can be asked (a look-up of a key
 * that does not exist: a wrong bucket, key or endpoint shows here, not at the first upload). No data, no details.
 */
export async function loader() {
  await db.$queryRawUnsafe("SELECT 1");
  try {
    await storage().stat(newStorageKey());
  } catch (e) {
    console.error(`[healthz] the recording storage does not answer: ${e instanceof Error ? e.message : String(e)}`);
    return new Response("storage unavailable", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
