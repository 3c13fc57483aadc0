// Bytes a reader's browser loads for one query of the site search, on a built site:
//   node benches/search-bytes.cjs SITE_DIR LANG [QUERY…]
// Without queries it picks two from the index itself: the word on the most pages and a
// word on one page only (a pair of Japanese characters, or an English word of 5 letters
// or more). For each query it prints the pages found and the bytes of the index read to
// answer it and show its first 10 results (index.json, the term files, readings.json
// when a kana query needs it, the 10 pages' files), as the search page does with an
// empty cache. The script is the site's own (src/render/search.js).
"use strict";
const fs = require("fs");
const path = require("path");
const search = require(path.join(__dirname, "..", "src", "render", "search.js"));

async function main() {
  const [site, lang, ...asked] = process.argv.slice(2);
  if (!site || !lang) {
    console.error("usage: node benches/search-bytes.cjs SITE_DIR LANG [QUERY…]");
    process.exit(2);
  }
  const folder = path.join(site, "_search", lang);
  let queries = asked;
  if (queries.length === 0) {
    let common = null;
    let rare = null;
    const files = fs.readdirSync(path.join(folder, "t"));
    for (const file of files) {
      const terms = JSON.parse(fs.readFileSync(path.join(folder, "t", file), "utf8"));
      for (const [term, list] of Object.entries(terms)) {
        const pages = list.length / 2;
        const chars = Array.from(term);
        const isPair = chars.length === 2 && chars.every((c) => /[\u3041-\u30ff\u4e00-\u9fff]/.test(c));
        const isWord = /^[a-z]{5,}$/.test(term);
        if (!isPair && !isWord) continue;
        if (!common || pages > common[1]) common = [term, pages];
        if (pages === 1 && (!rare || term < rare)) rare = term;
      }
    }
    queries = [common && common[0], rare].filter(Boolean);
  }
  for (const query of queries) {
    let bytes = 0;
    const index = new search.SearchIndex(async (file) => {
      const text = fs.readFileSync(path.join(folder, file.split("?")[0]));
      bytes += text.length;
      return JSON.parse(text.toString("utf8"));
    });
    const found = await index.search(query);
    for (const { page } of found.pages.slice(0, 10)) await index.page(page);
    console.log(`${lang} ${JSON.stringify(query)}: ${found.pages.length} pages, ${bytes} bytes loaded`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
