// Every store that holds interview data registers its eraser here; withdraw.server.ts imports this module,
// so a withdrawal always runs all of them. Later issues add transcription jobs, transcripts, codings and the
// search index the same way.
import { registerEraser } from "./erasers.server.ts";
import { databaseEraser } from "./database-eraser.server.ts";
import { storageEraser } from "../recordings/eraser.server.ts";
import { transcriptionEraser } from "../transcription/eraser.server.ts";
import { searchEraser } from "../../search/eraser.server.ts";
import { codingsEraser } from "../coding/eraser.server.ts";
import { passageLinkEraser } from "../links/eraser.server.ts";
import { narrativeEraser } from "../narratives/eraser.server.ts";
import { memoEraser } from "../memos/eraser.server.ts";
import { databaseFileEraser } from "./database-file-eraser.server.ts";

registerEraser(codingsEraser); // order 5: codings (with memos and links on them) before the transcript goes
registerEraser(transcriptionEraser); // order 10: running transcription jobs stop first, then jobs and transcript rows go
registerEraser(memoEraser); // order 15: memos of the interview, its codings, and its case when no analysed interview is left
registerEraser(storageEraser); // order 20: files in local storage or S3
registerEraser(narrativeEraser); // order 30: quotes leave narratives before the rows (and NarrativeSource) go
registerEraser(passageLinkEraser); // order 80: passage links (values a manager confirmed stay in the register)
registerEraser(databaseEraser); // order 90: the rows, last
registerEraser(searchEraser); // order 95: index entries of what is gone (FTS5, PostgreSQL, Meilisearch)
registerEraser(databaseFileEraser); // order 99: SQLite's write-ahead log, which still holds the erased pages as they were
