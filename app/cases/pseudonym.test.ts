// Pseudonyms are LOE-<year of start>-<4 digits>, numbered per year, and stay unique when cases are created
// at the same time, in one process and from two connections (as two server processes would).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, db } from "../db/client.server.ts";
import { createCase } from "./cases.server.ts";
import { PSEUDONYM_PATTERN, formatPseudonym, withConflictRetry } from "./pseudonym.server.ts";
import { ensureReference, grantFor, insertCase, municipalityId, signedInUser } from "./test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";

let grant: Grant;
let loerrach: string;
const second = createDb(process.env.DATABASE_URL!);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

beforeAll(async () => {
  await ensureReference();
  loerrach = await municipalityId("08336050");
  const im = await signedInUser("im.pseudonym", ["integration_manager"], [loerrach]);
  grant = grantFor(im.user, "write", "case");
});
afterAll(() => second.$disconnect());

describe("pseudonyms", () => {
  it("formats the year of the start and a 4-digit number", () => {
    expect(formatPseudonym(2025, 7)).toBe("LOE-2025-0007");
    expect(PSEUDONYM_PATTERN.test("LOE-2025-0007")).toBe(true);
    expect(PSEUDONYM_PATTERN.test("LOE-2025-07")).toBe(false);
  });

  it("numbers per year of the start, one above the highest number used", async () => {
    const a = await createCase(null, grant, { municipalityId: loerrach, group: "refugee", imStart: day("2019-04-01") }, null);
    const b = await createCase(null, grant, { municipalityId: loerrach, group: "refugee", imStart: day("2019-12-31") }, null);
    const c = await createCase(null, grant, { municipalityId: loerrach, group: "refugee", imStart: day("2020-01-01") }, null);
    expect([a.pseudonym, b.pseudonym, c.pseudonym]).toEqual(["LOE-2019-0001", "LOE-2019-0002", "LOE-2020-0001"]);
    // A gap (e.g. an imported case) is not refilled: numbers are never reused.
    await insertCase("LOE-2019-0040", loerrach);
    const d = await createCase(null, grant, { municipalityId: loerrach, group: "refugee", imStart: day("2019-06-01") }, null);
    expect(d.pseudonym).toBe("LOE-2019-0041");
  });

  it("stays unique and gap-free when many cases are created at once", async () => {
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createCase(null, grant, { municipalityId: loerrach, group: "eu_migrant", imStart: day(`2021-0${1 + (i % 9)}-15`) }, { firstName: `P${i}` })),
    );
    const pseudonyms = created.map((c) => c.pseudonym);
    expect(new Set(pseudonyms).size).toBe(30);
    for (const p of pseudonyms) expect(p).toMatch(/^LOE-2021-\d{4}$/);
    expect([...pseudonyms].sort()).toEqual(Array.from({ length: 30 }, (_, i) => formatPseudonym(2021, i + 1)));
    expect(await db.identity.count({ where: { caseId: { in: created.map((c) => c.id) } } })).toBe(30);
  });

  it("stays unique when two database connections create cases at the same time", async () => {
    const make = (client: typeof db, i: number) => createCase(null, grant, { municipalityId: loerrach, group: "refugee", imStart: day("2022-03-01") }, { lastName: `N${i}` }, client);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => make(i % 2 ? second : db, i)));
    const pseudonyms = created.map((c) => c.pseudonym).sort();
    expect(pseudonyms).toEqual(Array.from({ length: 20 }, (_, i) => formatPseudonym(2022, i + 1)));
    expect(await db.case.count({ where: { pseudonym: { startsWith: "LOE-2022-" } } })).toBe(20);
  });

  it("retries a lost race on the unique index, and gives up on other errors", async () => {
    let calls = 0;
    const result = await withConflictRetry(async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error("Unique constraint failed"), { code: "P2002" });
      return "ok";
    });
    expect([result, calls]).toEqual(["ok", 3]);
    let other = 0;
    await expect(
      withConflictRetry(async () => {
        other++;
        throw new Error("something else");
      }),
    ).rejects.toThrow("something else");
    expect(other).toBe(1);
  });
});
