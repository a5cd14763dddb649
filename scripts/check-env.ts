// Validates the environment (app/env.server.ts) and exits with its message when a value is wrong.
import { EnvError, parseEnv } from "../app/env.server.ts";

try {
  parseEnv(process.env);
} catch (e) {
  if (e instanceof EnvError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
