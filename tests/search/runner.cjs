// Runs the site search's own script (src/render/search.js) in Node for tests/search.rs:
// reads a request as JSON on stdin, answers as JSON on stdout.
//   { "script": path, "terms": [text…], "files": [[term, count]…],
//     "site": folder, "lang": code, "queries": [query…] }
//   ("shown": how many results to open, as the page shows them; 10 by default)
// → { "terms": [[term…]…], "files": [n…], "results": { query: [{ url, title, excerpt }…] },
//     "bytes": { query: bytes of the index read to answer it and show its first results } }
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  const search = require(path.resolve(request.script));
  const answer = { terms: [], files: [], results: {}, bytes: {} };
  for (const text of request.terms || []) answer.terms.push(search.terms(text));
  for (const [term, count] of request.files || []) answer.files.push(search.fileOf(term, count));
  if (request.site) {
    const folder = path.join(request.site, "_search", request.lang);
    const shownCount = request.shown || 10;
    for (const query of request.queries || []) {
      // A fresh index per query, as a reader opening the page: every file counted once.
      let bytes = 0;
      const index = new search.SearchIndex(async (file) => {
        const text = fs.readFileSync(path.join(folder, file.split("?")[0]));
        bytes += text.length;
        return JSON.parse(text.toString("utf8"));
      });
      const found = await index.search(query);
      const shown = [];
      for (const { page } of found.pages.slice(0, request.all ? undefined : shownCount)) {
        const doc = await index.page(page);
        const excerpt = search.excerpt(doc, found.needles, 110)
          .map(([text, marked]) => (marked ? `[${text}]` : text)).join("");
        shown.push({ url: doc.url, title: doc.title, excerpt });
      }
      answer.results[query] = shown;
      answer.bytes[query] = bytes;
    }
  }
  process.stdout.write(JSON.stringify(answer));
}

main().catch((e) => { console.error(e); process.exit(1); });
