// Demo district: 12 municipalities of the Landkreis, about 300 generated cases with snapshots whose soft
// indicators have realistic gaps (40-90 % unknown or missing), contacts, plans and one user per role.
// Deterministic (fixed seed), so screenshots and tests see the same data. Never run in production.
import type { Db, Prisma } from "../../app/db/client.server.ts";
import { hashPassword } from "../../app/auth/password.server.ts";
import { seal } from "../../app/identity/crypto.server.ts";
import { allowedValuesOf, encodeValue } from "../../app/indicators/values.ts";
import { PLAN_AREAS, PLAN_STATUSES, CONTACT_KINDS, CASE_GROUPS } from "../../app/cases/case-fields.ts";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

export const DEMO_MUNICIPALITIES = [
  "08336050", // Lörrach
  "08336091", // Weil am Rhein
  "08336069", // Rheinfelden (Baden)
  "08336081", // Schopfheim
  "08336105", // Grenzach-Wyhlen
  "08336084", // Steinen
  "08336045", // Kandern
  "08336014", // Efringen-Kirchen
  "08336103", // Zell im Wiesental
  "08336087", // Todtnau
  "08336025", // Fröhnd
  "08336090", // Utzenfeld
];

export const DEMO_USERS = [
  { username: "admin", displayName: "Ada Admin", roles: ["admin"], password: "Demo-Admin-2025!", municipalities: [] as string[] },
  { username: "forschung", displayName: "Rosa Forscherin", roles: ["researcher"], password: "Demo-Forschung-2025!", municipalities: [] },
  { username: "im.loerrach", displayName: "Ilse Lörrach (IM)", roles: ["integration_manager"], password: "Demo-IM-2025!", municipalities: ["08336050", "08336025", "08336081"] },
  { username: "im.weil", displayName: "Malik Weil (IM)", roles: ["integration_manager"], password: "Demo-IM-2025!", municipalities: ["08336091", "08336069", "08336090"] },
  { username: "beauftragte", displayName: "Bea Beauftragte", roles: ["commissioner"], password: "Demo-Beauftragte-2025!", municipalities: [] },
];

/** Persons of the interview fixtures (../shared/fixtures/interviews), so later features find their cases. */
export const FIXTURE_PERSONS = [
  { pseudonym: "LOE-2016-0001", ags: "08336025", group: "refugee", start: "2016-01-15", identity: { firstName: "Rasha", lastName: "Al-Khatib", dateOfBirth: "1986-03-14", phone: "0157 3921 4408", azrNumber: "6283417-475" } },
  { pseudonym: "LOE-2022-0001", ags: "08336090", group: "refugee", start: "2022-05-02", identity: { firstName: "Yonas", lastName: "Tesfamariam", dateOfBirth: "2003-08-19" } },
  { pseudonym: "LOE-2019-0001", ags: "08336050", group: "refugee", start: "2019-10-07", identity: { firstName: "Mariam", lastName: "Rahimi", dateOfBirth: "1991-01-30" } },
];

// Mulberry32: small deterministic PRNG.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Ahmad", "Fatima", "Omar", "Layla", "Yusuf", "Amina", "Hassan", "Zainab", "Olena", "Dmytro", "Ayşe", "Mehmet", "Tesfay", "Selam", "Abdi", "Hodan", "Ana", "Marek", "Ioana", "Bilal", "Nour", "Samira", "Kiros", "Farid"];
const LAST = ["Haddad", "Nasser", "Yilmaz", "Kovalenko", "Hussaini", "Ghebremedhin", "Warsame", "Popescu", "Nowak", "Karimi", "Mansour", "Shevchenko", "Demir", "Tekle", "Ahmadi", "Barzani"];
const STREETS = ["Hauptstraße", "Bahnhofstraße", "Wiesentalstraße", "Tumringer Straße", "Basler Straße", "Schillerstraße"];

/** The demo district in one transaction: one commit instead of one per row (2,000 and more for 300 cases), and a start
 * interrupted midway leaves no half-made district that the "cases are generated once" check would then keep. */
export async function seedDemo(db: Db, options: { cases?: number } = {}) {
  await db.$transaction((tx) => seedDemoIn(tx, options), { maxWait: 60_000, timeout: 600_000 });
}

async function seedDemoIn(db: Prisma.TransactionClient, { cases: caseCount = 300 } = {}) {
  const rand = rng(20250311);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const municipalities = await db.municipality.findMany({ where: { ags: { in: DEMO_MUNICIPALITIES } }, select: { id: true, ags: true, population: true } });
  const byAgs = new Map(municipalities.map((m) => [m.ags, m]));

  const userIds: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    // Made once with their roles and municipalities: what an admin changed since (a municipality taken away, a role,
    // the password) stays changed at the next start, as the audit log says.
    const existing = await db.user.findUnique({ where: { username: u.username }, select: { id: true } });
    if (existing) {
      userIds[u.username] = existing.id;
      continue;
    }
    const user = await db.user.create({ data: { username: u.username, displayName: u.displayName, passwordHash: await hashPassword(u.password) }, select: { id: true } });
    userIds[u.username] = user.id;
    for (const role of u.roles) await db.userRole.upsert({ where: { userId_role: { userId: user.id, role } }, create: { userId: user.id, role }, update: {} });
    for (const ags of u.municipalities) {
      const m = byAgs.get(ags)!;
      await db.userMunicipality.upsert({ where: { userId_municipalityId: { userId: user.id, municipalityId: m.id } }, create: { userId: user.id, municipalityId: m.id }, update: {} });
    }
  }

  if ((await db.case.count()) > 0) return; // cases are generated once
  const indicators = await db.indicatorDefinition.findMany({ where: { active: true }, select: { id: true, code: true, type: true, category: true, allowedValues: true, minValue: true, maxValue: true } });
  // Larger towns get more cases, weighted by the square root of the population.
  const weights = DEMO_MUNICIPALITIES.map((ags) => Math.sqrt(byAgs.get(ags)!.population ?? 1000));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const today = new Date(Date.UTC(2026, 10, 1));
  const seqByYear = new Map<number, number>();
  const nextPseudonym = (year: number) => {
    const n = (seqByYear.get(year) ?? 1) + 1;
    seqByYear.set(year, n);
    return `LOE-${year}-${String(n).padStart(4, "0")}`;
  };

  type Plan = { ags: string; group: string; start: Date; identity: Record<string, string | undefined>; pseudonym?: string };
  const plans: Plan[] = FIXTURE_PERSONS.map((p) => ({ ags: p.ags, group: p.group, start: new Date(`${p.start}T00:00:00Z`), identity: p.identity, pseudonym: p.pseudonym }));
  while (plans.length < caseCount) {
    let r = rand() * totalWeight;
    let idx = 0;
    while (r > weights[idx]!) r -= weights[idx++]!;
    const start = new Date(Date.UTC(2015 + Math.floor(rand() * 11), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
    if (start > today) start.setUTCFullYear(2024);
    const g = rand();
    plans.push({
      ags: DEMO_MUNICIPALITIES[idx]!,
      group: g < 0.68 ? CASE_GROUPS[0] : g < 0.88 ? CASE_GROUPS[1] : CASE_GROUPS[2],
      start,
      identity: {
        firstName: pick(FIRST),
        lastName: pick(LAST),
        dateOfBirth: `${1960 + Math.floor(rand() * 45)}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`,
        address: `${pick(STREETS)} ${1 + Math.floor(rand() * 120)}`,
        phone: `0176 ${Math.floor(1000 + rand() * 8999)} ${Math.floor(1000 + rand() * 8999)}`,
      },
    });
  }

  const imIds = [userIds["im.loerrach"]!, userIds["im.weil"]!];
  // A case's entries are the work of the integration manager of its municipality; the other demo municipalities have
  // no demo manager, and their entries go to one drawn at random (no demo login opens those cases).
  const managerOf = new Map(DEMO_USERS.flatMap((u) => (u.roles.includes("integration_manager") ? u.municipalities.map((ags) => [ags, userIds[u.username]!] as const) : [])));
  let householdId: string | null = null;
  for (const [i, p] of plans.entries()) {
    const year = p.start.getUTCFullYear();
    const archived = rand() < 0.18;
    // Drawn in any case, so that the demo district's other random figures stay as they were.
    const byManager = () => {
      const drawn = pick(imIds);
      return managerOf.get(p.ags) ?? drawn;
    };
    const caseRow = await db.case.create({
      data: {
        recordKey: newRecordKey(),
        pseudonym: p.pseudonym ?? nextPseudonym(year),
        municipalityId: byAgs.get(p.ags)!.id,
        group: p.group,
        imStart: p.start,
        status: archived ? "archived" : "active",
        archiveReason: archived ? pick(["moved_away", "counselling_ended", "naturalised", "no_contact", "other"]) : null,
        archivedAt: archived ? new Date(Math.min(today.getTime(), p.start.getTime() + (1 + rand() * 3) * 365 * 86400_000)) : null,
        createdById: byManager(),
      },
      select: { id: true },
    });
    const sealed = seal(p.identity, caseRow.id);
    await db.identity.create({ data: { caseId: caseRow.id, ...sealed } });
    // Every 9th case starts a household, the next one joins it.
    if (i % 9 === 0) householdId = (await db.household.create({ data: {}, select: { id: true } })).id;
    if (i % 9 === 1 && householdId) await db.case.update({ where: { id: caseRow.id }, data: { householdId } });
    if (i % 9 === 0 && householdId) await db.case.update({ where: { id: caseRow.id }, data: { householdId } });

    const snapshots = [];
    // Each soft indicator gets its own gap rate between 40 and 90 %.
    for (const ind of indicators) {
      const gapRate = ind.category === "hard" ? 0.05 : 0.4 + ((ind.code.charCodeAt(2) * 7 + ind.code.length * 13) % 50) / 100;
      const roll = rand();
      if (roll < gapRate * 0.5) continue; // never recorded at all
      const observedAt = new Date(p.start.getTime() + rand() * (today.getTime() - p.start.getTime()));
      if (roll < gapRate) {
        snapshots.push({ caseId: caseRow.id, indicatorId: ind.id, state: "unknown", value: null, observedAt, source: "im_akte", verified: false, recordedById: byManager() });
        continue;
      }
      const history = ind.category === "soft" && rand() < 0.3 ? 2 : 1;
      for (let h = 0; h < history; h++) {
        const at = new Date(observedAt.getTime() - (history - 1 - h) * 200 * 86400_000);
        snapshots.push({ caseId: caseRow.id, indicatorId: ind.id, state: "known", value: encodeValue(demoValue(ind, rand, p)), observedAt: at, source: pick(["selbstauskunft", "im_akte", "dokument", "behoerde"]), verified: rand() < 0.4, recordedById: byManager() });
      }
    }
    await db.snapshot.createMany({ data: snapshots });

    const contacts = Math.floor(rand() * 8);
    const contactRows = Array.from({ length: contacts }, () => ({
      caseId: caseRow.id,
      date: new Date(Math.max(p.start.getTime(), today.getTime() - rand() * 900 * 86400_000)),
      kind: pick(CONTACT_KINDS),
      durationMinutes: 15 + Math.floor(rand() * 6) * 15,
      createdById: byManager(),
    }));
    if (contactRows.length) await db.contact.createMany({ data: contactRows });
    if (rand() < 0.45) {
      await db.integrationPlan.create({
        data: {
          caseId: caseRow.id,
          drawnUpAt: new Date(Math.max(p.start.getTime(), today.getTime() - rand() * 700 * 86400_000)),
          createdById: byManager(),
          areas: { create: [...new Set([pick(PLAN_AREAS), pick(PLAN_AREAS)])].map((area) => ({ area, status: pick(PLAN_STATUSES) })) },
        },
      });
    }
  }
}

function demoValue(ind: { code: string; type: string; allowedValues: string | null; minValue: number | null; maxValue: number | null }, rand: () => number, p: { identity: Record<string, string | undefined> }): unknown {
  const allowed = allowedValuesOf(ind) ?? [];
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  switch (ind.type) {
    case "enum":
      return pick(allowed);
    case "multi":
      return ind.code === "P.STAAT" ? [pick(["SYR", "AFG", "ERI", "UKR", "TUR", "IRQ", "SOM", "ROU", "POL", "NGA"])] : [pick(allowed)];
    case "number":
      if (ind.code === "P.GEBJ") return Number((p.identity.dateOfBirth ?? "1990").slice(0, 4));
      return Math.round((ind.minValue ?? 0) + rand() * ((ind.maxValue ?? 10) - (ind.minValue ?? 0)));
    case "date":
      return `20${18 + Math.floor(rand() * 7)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`;
    case "boolean":
      return rand() < 0.4;
    case "likert5":
      return 1 + Math.floor(rand() * 5);
    default:
      return null;
  }
}
