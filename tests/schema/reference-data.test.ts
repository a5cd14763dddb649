// prisma/seed/reference/*.yaml are copies of the project's shared domain files (a production install has no
// ../shared): when ../shared/domain is present, the copies must be identical, so an update there is noticed.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const copies = path.join(root, "prisma", "seed", "reference");
const shared = path.resolve(root, "..", "shared", "domain");
const present = fs.existsSync(shared);
const yamlFiles = fs.readdirSync(copies).filter((f) => f.endsWith(".yaml")).sort();

if (!present) console.warn(`[reference-data] skipped: ${shared} does not exist (not a development checkout), nothing to compare with`);

describe.skipIf(!present)(`prisma/seed/reference equals ${present ? "../shared/domain" : "../shared/domain (skipped: folder not found)"}`, () => {
  it("has the reference files the seed reads", () => {
    expect(yamlFiles).toEqual(expect.arrayContaining(["codebook.yaml", "indicators.yaml", "municipalities.yaml"]));
  });

  it.each(yamlFiles)("%s is identical to the shared copy", (file) => {
    const original = path.join(shared, file);
    expect(fs.existsSync(original), `${original} is missing: was it renamed or removed?`).toBe(true);
    expect(fs.readFileSync(path.join(copies, file), "utf8")).toBe(fs.readFileSync(original, "utf8"));
  });
});
