// `--database postgres` for the benchmarks: a throwaway Debian PostgreSQL cluster on 127.0.0.1 (tests/support) and a
// fresh database on it, set as DATABASE_URL before the app's modules are loaded.
export async function usePostgres(): Promise<{ stop(): Promise<void> }> {
  const { startPostgres } = await import("../../tests/support/postgres.ts");
  const server = await startPostgres();
  process.env.TEST_DATABASE = "postgres";
  process.env.TEST_PG_ADMIN_URL = server.url;
  const { createTestDatabase } = await import("../../tests/support/db.ts");
  process.env.DATABASE_URL = await createTestDatabase();
  return server;
}
