// npm test runs the unit and HTTP test files twice, on SQLite and on PostgreSQL (scripts/test.sh; a file whose imports
// never reach a database only on SQLite: tests/support/reaches-database.ts). A test whose subject never reaches the
// database (how a process starts, what whisper hears) learns nothing new in the second pass and costs CI time (30
// minutes in all): it runs in one pass only. Tests of data flows run in both. Browser files run against one database
// each (vitest.browser.config.ts, ADR 0025).

/** True in the PostgreSQL pass (TEST_DATABASE=postgres). */
export const onPostgres = process.env.TEST_DATABASE === "postgres";

/** For it.skipIf / describe.skipIf: a test whose subject does not depend on the database runs in the SQLite pass only. */
export const databaseIndependent = onPostgres;
