// With TEST_DATABASE=postgres: starts a throwaway PostgreSQL cluster on 127.0.0.1 for the whole run.
import { startPostgres, type RunningPostgres } from "./postgres.ts";

let server: RunningPostgres | undefined;

export async function setup() {
  if (process.env.TEST_DATABASE !== "postgres") return;
  if (process.env.TEST_PG_ADMIN_URL) return; // an outer runner started one
  server = await startPostgres();
  process.env.TEST_PG_ADMIN_URL = server.url;
}

export async function teardown() {
  await server?.stop();
}
