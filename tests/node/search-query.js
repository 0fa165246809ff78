// Runs a built site's search client (its search.js) under Node against its index, as a
// browser would, and prints the results of each query as JSON. Used by tests/search.rs.
//
//   node tests/node/search-query.js OUT_DIR '{"q": "sanctions"}' ...
"use strict";
const fs = require("fs");
const path = require("path");

const [out, ...queries] = process.argv.slice(2);
const client = require(path.resolve(out, "search.js"));
const fetched = [];
const engine = client.createSearch((file) =>
  fs.promises.readFile(path.join(out, file.split("?")[0])).then((bytes) => {
    fetched.push([file, bytes.length]);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  })
);

(async () => {
  const results = [];
  for (const text of queries) {
    fetched.length = 0;
    const found = await engine.search(JSON.parse(text));
    const shown = await Promise.all(found.ids.slice(0, 10).map(engine.fragment));
    results.push({
      urls: shown.map((f) => f.u),
      excerpt: shown.length ? client.excerpt(shown[0].x, found.marks) : "",
      fetched: fetched.map(([file]) => file),
    });
  }
  console.log(JSON.stringify(results));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
