// The closing lines of npm test (scripts/test.sh): the failures of every run by name, then one count line in the
// plain form CI tools read. A CI log is often read from its end only, so what failed must be there, not only in the
// scrolled-away output of the run it happened in.
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of fs.readdirSync(dir).sort()) {
  const run = path.basename(file, ".json");
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const result of report.testResults ?? []) {
    const testFile = path.relative(process.cwd(), result.name);
    const failedTests = (result.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failedTests) failures.push({ run, where: `${testFile} › ${t.fullName}`, message: t.failureMessages?.[0] });
    // A file that failed outside any test (an error in beforeAll, a module that does not load) has no failed test.
    if (result.status === "failed" && failedTests.length === 0) failures.push({ run, where: testFile, message: result.message });
  }
}
if (failures.length) {
  console.log(`\nFailed (${failures.length}):`);
  for (const f of failures) {
    console.log(`- [${f.run}] ${f.where}`);
    // The message and the first stack frames in the project's own code.
    let frames = 0;
    const lines = String(f.message ?? "")
      .split("\n")
      .filter((l) => l.trim() && !(/^\s*at /.test(l) && (l.includes("node_modules") || l.includes("node:") || l.includes("<anonymous>") || ++frames > 2)))
      .slice(0, 8);
    for (const line of lines) console.log(`    ${line.slice(0, 300)}`);
  }
}
const fileFailures = failures.filter((f) => !f.where.includes(" › ")).length;
if (fileFailures) console.log(`${fileFailures} test file(s) failed outside their tests (their tests count as skipped)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
