// Validates the environment (app/env.server.ts, search/config.ts) and exits with its message when a value is wrong,
// so a bad MEILI_URL stops the start instead of failing the first search.
import fs from "node:fs";
import path from "node:path";
import util from "node:util";
import { type Env, EnvError, parseEnv } from "../app/env.server.ts";
import { SearchConfigError, parseSearchConfig } from "../search/config.ts";

// scripts/start.sh has already exported .env (the environment wins over it): a value that is the one in .env came
// from there, and a message about it says so, as the operator may not know the file exists.
const fromEnvFile = new Set<string>();
if (fs.existsSync(".env")) {
  for (const [name, value] of Object.entries(util.parseEnv(fs.readFileSync(".env", "utf8")))) {
    if (process.env[name] === value) fromEnvFile.add(name);
  }
}

/** The message of a configuration error, or undefined when `check` passes; anything else is a bug and is thrown. */
function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof EnvError || e instanceof SearchConfigError) return e.message;
    throw e;
  }
}

let env: Env | undefined;
// Both checks, so that a wrong SEARCH_ENGINE is named in the same start as a wrong PORT.
const problems = [problemOf(() => (env = parseEnv(process.env, { fromEnvFile }))), problemOf(() => parseSearchConfig(process.env, { fromEnvFile }))];
const journalProblem = problemOf(() => {
  if (!env) return;
  // Withdrawals erase nothing until they are journaled: a journal that cannot be written must stop the start, not the
  // first withdrawal.
  const journal = path.resolve(env.WITHDRAWAL_JOURNAL);
  try {
    fs.mkdirSync(path.dirname(journal), { recursive: true });
    fs.closeSync(fs.openSync(journal, "a", 0o600));
  } catch (e) {
    throw new EnvError(`Lebenswege cannot start: the withdrawal journal ${journal} (WITHDRAWAL_JOURNAL) cannot be written: ${(e as Error).message}`);
  }
});
const messages = [...problems, journalProblem].filter((m): m is string => m !== undefined);
if (messages.length) {
  console.error(messages.join("\n"));
  process.exit(1);
}
