// The code matrix on the fixture project: frequencies per case and per attribute at the interview's date, and
// co-occurrence, against counts taken straight from the reference codings.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { codeMatrix } from "../../app/retrieval/matrix.server.ts";
import { seedProject, type Project } from "./fixture.ts";

let project: Project;
const grant: Grant = {
  access: "any",
  user: { id: "u", username: "forschung", displayName: "Forschung", locale: "de", roles: ["researcher"], municipalityIds: [], sessionId: "s", csrfToken: "t" },
};

beforeAll(async () => {
  project = await seedProject(db);
}, 120_000);

type Coding = Project["codings"][number];
const analysable = (c: Coding) => c.fixture !== "int-01-noconsent" && !(c.code === "X.GES" && c.fixture !== "int-02");
const dimensionOf = (code: string) => code.split(/[./]/)[0]!;

describe("code matrix", () => {
  it("counts coded segments per case and dimension, leaving out what may not be analysed", async () => {
    const m = await codeMatrix(grant, { rows: "case", level: "dimension", dimension: null });
    expect(m.rows.map((r) => r.label)).toEqual(["LOE-2025-9000", "LOE-2025-9010", "LOE-2025-9020"]);
    for (const [i, row] of m.rows.entries()) {
      const caseIndex = project.cases.indexOf(row.key);
      for (const [c, col] of m.columns.entries()) {
        const expected = project.codings.filter((x) => analysable(x) && project.interviews[x.fixture]!.caseIndex === caseIndex && dimensionOf(x.code) === col.key).length;
        expect(m.counts[i]![c], `${row.label} ${col.key}`).toBe(expected);
      }
    }
    // case 2 also has the interview without analysis consent: none of its codings count
    expect(m.rowTotals[2]).toBe(project.codings.filter((x) => x.fixture === "int-03" && analysable(x)).length);
  });

  it("rows by an indicator value at the interview's date, and by age band at the interview", async () => {
    const german = await codeMatrix(grant, { rows: "S.DTNIV", level: "dimension", dimension: null });
    const total = (key: string) => german.rowTotals[german.rows.findIndex((r) => r.key === key)] ?? 0;
    // int-01 (B1 then, C1 now) and int-02 (B1) count as B1; int-03 as A2
    expect(total("B1")).toBe(project.codings.filter((x) => (x.fixture === "int-01" || x.fixture === "int-02") && analysable(x)).length);
    expect(total("A2")).toBe(project.codings.filter((x) => x.fixture === "int-03" && analysable(x)).length);
    expect(total("C1")).toBe(0);
    const age = await codeMatrix(grant, { rows: "ageBand", level: "dimension", dimension: null });
    expect(age.rows.map((r) => r.key)).toEqual(["18-29", "30-44"]);
    expect(age.rowTotals[0]).toBe(project.codings.filter((x) => x.fixture === "int-02" && analysable(x)).length);
  });

  it("codes of one dimension as columns, and co-occurrence of overlapping codings", async () => {
    const m = await codeMatrix(grant, { rows: "group", level: "code", dimension: "IDE" });
    expect(m.columns.map((c) => c.label)).toEqual(["IDE.ZDE", "IDE.ZOR", "IDE.HER", "IDE.AMB", "IDE.BLE"]);
    const her = m.columns.findIndex((c) => c.label === "IDE.HER");
    const zor = m.columns.findIndex((c) => c.label === "IDE.ZOR");
    expect(m.cooccurrence[her]![zor]).toBe(1);
    expect(m.cooccurrence[zor]![her]).toBe(1);
    expect(m.cooccurrence.flat().reduce((a, b) => a + b, 0)).toBe(2);
    const x = await codeMatrix(grant, { rows: "case", level: "dimension", dimension: null });
    const xi = x.columns.findIndex((c) => c.key === "X");
    const ide = x.columns.findIndex((c) => c.key === "IDE");
    expect(x.cooccurrence[xi]![xi]).toBe(2); // X.FLU with X.BEH on the same words, both ways
    expect(x.cooccurrence[ide]![ide]).toBe(2);
  });
});
