// Which database a DATABASE_URL names: SQLite (file:...) or PostgreSQL (postgres:// or postgresql://), the only two
// app/env.server.ts accepts. Without imports, so that the search configuration and the worker's schema check can
// ask too.
export type Provider = "sqlite" | "postgres";

export const providerOf = (databaseUrl: string): Provider => (/^postgres(ql)?:\/\//.test(databaseUrl) ? "postgres" : "sqlite");
