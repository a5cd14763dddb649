// Validates the environment (app/env.server.ts, search/config.ts) and exits with its message when a value is wrong,
// so a bad MEILI_URL stops the start instead of failing the first search.
import fs from "node:fs";
import path from "node:path";
import { EnvError, parseEnv } from "../app/env.server.ts";
import { SearchConfigError, parseSearchConfig } from "../search/config.ts";

try {
  const env = parseEnv(process.env);
  parseSearchConfig(process.env);
  // Withdrawals erase nothing until they are journaled: a journal that cannot be written must stop the start, not the
  // first withdrawal.
  const journal = path.resolve(env.WITHDRAWAL_JOURNAL);
  try {
    fs.mkdirSync(path.dirname(journal), { recursive: true });
    fs.closeSync(fs.openSync(journal, "a", 0o600));
  } catch (e) {
    throw new EnvError(`Lebenswege cannot start: the withdrawal journal ${journal} (WITHDRAWAL_JOURNAL) cannot be written: ${(e as Error).message}`);
  }
} catch (e) {
  if (e instanceof EnvError || e instanceof SearchConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
