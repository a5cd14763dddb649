// npm test runs every test file twice, on SQLite and on PostgreSQL (scripts/test.sh). A test whose subject never
// reaches the database (what the browser does with focus, keys, layout and pasted text; how a process starts; what
// whisper hears) learns nothing new in the second pass and costs CI time (30 minutes in all): it runs in one pass
// only. Tests of data flows run in both.

/** True in the PostgreSQL pass (TEST_DATABASE=postgres). */
export const onPostgres = process.env.TEST_DATABASE === "postgres";

/** For it.skipIf / describe.skipIf: a test whose subject does not depend on the database runs in the SQLite pass only. */
export const databaseIndependent = onPostgres;
