// Every store that holds interview data registers its eraser here; withdraw.server.ts imports this module,
// so a withdrawal always runs all of them. Later issues add transcription jobs, transcripts, codings and the
// search index the same way.
import { registerEraser } from "./erasers.server.ts";
import { databaseEraser } from "./database-eraser.server.ts";
import { storageEraser } from "../recordings/eraser.server.ts";
import { transcriptionEraser } from "../transcription/eraser.server.ts";

registerEraser(transcriptionEraser); // order 10: running transcription jobs stop first, then jobs and transcript rows go
registerEraser(storageEraser); // order 20: files in local storage or S3
registerEraser(databaseEraser); // order 90: the rows, last
