// Runs before every test file: a fresh database and a complete test configuration, set before any app
// module reads its environment.
import crypto from "node:crypto";
import { createTestDatabase } from "./db.ts";

process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.DATABASE_URL = await createTestDatabase();
