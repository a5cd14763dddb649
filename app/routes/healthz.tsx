import { db } from "../db/client.server.ts";

/** Liveness and database reachability for load balancers; no data. */
export async function loader() {
  await db.$queryRawUnsafe("SELECT 1");
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
