// Whether the configured identity keys open the identity records in the database: a restore onto a fresh machine
// (whose `npm start` wrote a .env with new secrets) would otherwise come up with every identity page failing.
// One record per key id is opened and its content discarded at once; nothing of it is shown or kept.
import type { Db } from "../db/client.server.ts";
import { open } from "./crypto.server.ts";

export type KeyCheck = { keyId: string; records: number; opens: boolean };

export async function checkIdentityKeys(db: Db): Promise<KeyCheck[]> {
  const groups = await db.identity.groupBy({ by: ["keyId"], _count: { _all: true } });
  const out: KeyCheck[] = [];
  for (const g of groups) {
    const row = await db.identity.findFirstOrThrow({ where: { keyId: g.keyId }, select: { caseId: true, keyId: true, iv: true, tag: true, ciphertext: true } });
    let opens = true;
    try {
      open(row, row.caseId);
    } catch {
      opens = false;
    }
    out.push({ keyId: g.keyId, records: g._count._all, opens });
  }
  return out;
}
