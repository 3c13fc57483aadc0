// Runs the site search's own script (src/render/search.js) in Node for tests/search.rs:
// reads a request as JSON on stdin, answers as JSON on stdout.
//   { "script": path, "terms": [text…], "files": [[term, count]…],
//     "site": folder, "lang": code, "queries": [query…] }
// → { "terms": [[term…]…], "files": [n…], "results": { query: [{ url, title, excerpt }…] } }
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  const search = require(path.resolve(request.script));
  const answer = { terms: [], files: [], results: {} };
  for (const text of request.terms || []) answer.terms.push(search.terms(text));
  for (const [term, count] of request.files || []) answer.files.push(search.fileOf(term, count));
  if (request.site) {
    const folder = path.join(request.site, "_search", request.lang);
    const index = new search.SearchIndex(async (file) =>
      JSON.parse(fs.readFileSync(path.join(folder, file.split("?")[0]), "utf8")));
    for (const query of request.queries || []) {
      const found = await index.search(query);
      const shown = [];
      for (const { page } of found.pages) {
        const doc = await index.page(page);
        const excerpt = search.excerpt(doc, found.needles, 110)
          .map(([text, marked]) => (marked ? `[${text}]` : text)).join("");
        shown.push({ url: doc.url, title: doc.title, excerpt });
      }
      answer.results[query] = shown;
    }
  }
  process.stdout.write(JSON.stringify(answer));
}

main().catch((e) => { console.error(e); process.exit(1); });
