// The MDN HTTP Observatory's own scanner (npm @mdn/mdn-http-observatory, installed in
// tests/browser), run against a server on loopback ports, for servers.mjs:
//
//   NODE_EXTRA_CA_CERTS=cert.pem node tests/servers/observatory.mjs --http 18080 --https 18443
//
// Its `scan()` asks only ports 80 and 443, so this calls the same retrieval with the
// ports given and grades the answers with the package's own tests and score table, as
// `scan()` does. Prints {score, grade, tests: [{name, result, modifier, pass}]} as JSON.
//
// The package's install fetches Chromium's HSTS preload list from the network; installed
// without scripts (as CI does), it has none, and a list with no host is the truth for
// localhost, so an empty one is written if it is missing.

import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const port = (name) => Number(args[args.indexOf(name) + 1]);
const httpPort = port('--http');
const httpsPort = port('--https');
if (!httpPort || !httpsPort) {
  console.error('usage: node tests/servers/observatory.mjs --http PORT --https PORT');
  process.exit(2);
}

const require = createRequire(new URL('../browser/package.json', import.meta.url));
const root = path.dirname(require.resolve('@mdn/mdn-http-observatory/package.json'));
const preload = path.join(root, 'conf', 'hsts-preload.json');
if (!existsSync(preload)) writeFileSync(preload, '{}\n');
const load = (file) => import(path.join(root, 'src', file));

const { retrieve } = await load('retriever/retriever.js');
const { ALL_TESTS } = await load('constants.js');
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load('grader/charts.js');
const { getGradeForScore, getScoreModifier } = await load('grader/grader.js');

const answers = await retrieve('localhost', { httpPort, httpsPort });
if (!answers.responses.auto) throw new Error(`nothing answers on localhost:${httpPort} or :${httpsPort}`);
let withBonuses = 100;
let penaltiesOnly = 100;
const tests = ALL_TESTS.map((test) => test(answers)).filter((r) => r.result).map((r) => {
  const modifier = getScoreModifier(r.result);
  withBonuses += modifier;
  if (modifier < 0) penaltiesOnly += modifier;
  return { name: r.constructor.name, result: r.result, modifier, pass: r.pass };
});
// Bonuses count only for a score that is an A without them, as the Observatory grades.
const { score, grade } = getGradeForScore(
  penaltiesOnly >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withBonuses : penaltiesOnly,
);
console.log(JSON.stringify({ score, grade, tests }));
