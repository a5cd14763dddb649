// The sha256 of a file, streamed (recordings are gigabytes): how backups and restores check stored files against
// the hash kept with them.
import crypto from "node:crypto";
import fs from "node:fs";

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
