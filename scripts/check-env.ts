// Validates the environment (app/env.server.ts, search/config.ts) and exits with its message when a value is wrong,
// so a bad MEILI_URL stops the start instead of failing the first search.
import { EnvError, parseEnv } from "../app/env.server.ts";
import { SearchConfigError, parseSearchConfig } from "../search/config.ts";

try {
  parseEnv(process.env);
  parseSearchConfig(process.env);
} catch (e) {
  if (e instanceof EnvError || e instanceof SearchConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
