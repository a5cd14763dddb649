// What the exchange page says before an export: how many interviews the consent lets go, how many stay.
import { db } from "../db/client.server.ts";
import { withScope } from "../consent/gates.server.ts";

export async function exchangeOverview() {
  const [exportable, withoutArchiving, codes, recordings] = await Promise.all([
    db.interview.count({ where: { ...withScope("archiving"), transcript: { isNot: null } } }),
    db.interview.count({ where: { status: { not: "withdrawn" }, transcript: { isNot: null }, NOT: { consents: { some: { current: true, scopeArchiving: true } } } } }),
    db.code.count(),
    db.interview.count({ where: { ...withScope("archiving"), transcript: { isNot: null }, recordings: { some: {} }, consents: { some: { current: true, scopeArchiving: true, scopeRecording: true } } } }),
  ]);
  return { exportable, withoutArchiving, codes, recordings };
}
