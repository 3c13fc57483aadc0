// The built site served by Debian's own nginx and Apache, with the settings `build`
// wrote (yorisoi-nginx.conf, .htaccess), on loopback ports:
//
//   node tests/servers/servers.mjs --site DIR
//
// For a page, a page of the other language, an asset, the feed, the search script, a
// download, a 404 and a redirect, each server must send every header of the site's
// policy (as `_headers` lists them, the one list written for static hosts) with its
// value, and `Cache-Control`: a year and `immutable` for the files named by their
// content (the style sheet, the search script), `no-cache` for the rest; a 404 must be
// the site's own page of the address's language, with status 404; the servers'
// settings files and yorisoi's own marker must not be served. A browser that accepts
// gzip (or brotli, from Apache) must get the compressed copy `build` wrote, byte for
// byte, with `Vary: Accept-Encoding`; one that accepts neither, the file itself. Then
// the headers are scored with the MDN HTTP
// Observatory's rules for headers (its tests of CSP, framing, HSTS, nosniff, referrer
// policy and cross-origin isolation; the site has no cookies, no scripts from other
// hosts and no CORS). Exits non-zero on any failure.

import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, readFile, rm, writeFile, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const site = path.resolve(args[args.indexOf('--site') + 1] ?? '');
if (!args.includes('--site') || !site) {
  console.error('usage: node tests/servers/servers.mjs --site DIR');
  process.exit(2);
}

// The headers the site's policy gives every answer, read from `_headers` (which leaves
// `Cache-Control` to the host, but for the lasting files).
async function policyHeaders() {
  const text = await readFile(path.join(site, '_headers'), 'utf8');
  const headers = new Map();
  // The first rule (the site's path and everything below it); the next are the lasting
  // files' own Cache-Control.
  let rules = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('/')) rules++;
    const m = /^\s+([A-Za-z-]+):\s(.*)$/.exec(line);
    if (m && rules === 1) headers.set(m[1].toLowerCase(), m[2]);
  }
  if (headers.size < 6) throw new Error(`_headers lists ${headers.size} headers`);
  return headers;
}

async function firstFile(dir, test) {
  for (const entry of await readdir(path.join(site, dir), { withFileTypes: true })) {
    if (entry.isFile() && test(entry.name)) return `/${dir}/${entry.name}`;
  }
  return null;
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

// One request as a browser sends it, the answer's bytes as they came (not decoded).
function raw(port, target, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    http.get({ host: '127.0.0.1', port, path: target, headers }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// The address a page's first element of a kind loads, e.g. its style sheet.
async function linkedFrom(page, pattern) {
  const html = await readFile(path.join(site, page), 'utf8');
  return pattern.exec(html)?.[1] ?? null;
}

async function untilUp(port) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      return;
    } catch {
      await wait(100);
    }
  }
  throw new Error(`nothing answers on port ${port}`);
}

async function startNginx(work, port) {
  const conf = path.join(work, 'nginx.conf');
  await writeFile(conf, `daemon off;
worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${site};
    include ${site}/yorisoi-nginx.conf;
  }
}
`);
  const check = spawnSync('/usr/sbin/nginx', ['-t', '-c', conf, '-p', work], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refuses the settings:\n${check.stderr}`);
  const child = spawn('/usr/sbin/nginx', ['-c', conf, '-p', work], { stdio: 'inherit' });
  await untilUp(port);
  return child;
}

async function startApache(work, port) {
  const modules = '/usr/lib/apache2/modules';
  const conf = path.join(work, 'apache.conf');
  await writeFile(conf, `ServerRoot ${work}
ServerName 127.0.0.1
PidFile ${work}/apache.pid
Listen 127.0.0.1:${port}
LoadModule mpm_event_module ${modules}/mod_mpm_event.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
LoadModule headers_module ${modules}/mod_headers.so
LoadModule mime_module ${modules}/mod_mime.so
LoadModule dir_module ${modules}/mod_dir.so
LoadModule rewrite_module ${modules}/mod_rewrite.so
User nobody
Group nogroup
TypesConfig /etc/mime.types
ErrorLog ${work}/apache-error.log
DocumentRoot ${site}
DirectoryIndex index.html
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory ${site}>
  AllowOverride All
  Require all granted
</Directory>
`);
  const check = spawnSync('/usr/sbin/apache2', ['-t', '-f', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`Apache refuses the settings:\n${check.stderr}`);
  const child = spawn('/usr/sbin/apache2', ['-f', conf, '-DFOREGROUND'], { stdio: 'inherit' });
  await untilUp(port);
  return child;
}

// The MDN HTTP Observatory's header tests, as its scoring documents them: start at
// 100; a modifier per test; bonuses count only when the score is at least 90.
function observatory(h) {
  const found = [];
  const csp = h.get('content-security-policy');
  let score = 100;
  const add = (test, points) => { found.push(`${test} ${points >= 0 ? '+' : ''}${points}`); score += points; };
  if (!csp) add('csp-not-implemented', -25);
  else {
    const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean)
      .map((d) => { const [name, ...values] = d.split(/\s+/); return [name.toLowerCase(), values]; }));
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src') ?? [];
    // style-src-attr counts as style: read strictly, an allowance there loses the bonus.
    const styleSrc = [...(directives.get('style-src') ?? directives.get('default-src') ?? []),
      ...(directives.get('style-src-attr') ?? []), ...(directives.get('style-src-elem') ?? [])];
    if (scriptSrc.includes("'unsafe-inline'") || scriptSrc.includes("'unsafe-eval'")) add('csp-implemented-with-unsafe-inline', -20);
    else if (styleSrc.includes("'unsafe-inline'")) add('csp-implemented-with-unsafe-inline-in-style-src-only', 0);
    else if ((directives.get('default-src') ?? []).includes("'none'")) add('csp-implemented-with-no-unsafe-default-src-none', 10);
    else add('csp-implemented-with-no-unsafe', 5);
  }
  const frameAncestors = csp && /frame-ancestors\s+'none'/.test(csp);
  const xfo = (h.get('x-frame-options') ?? '').toUpperCase();
  if (frameAncestors) add('x-frame-options-implemented-via-csp', 5);
  else if (xfo === 'DENY' || xfo === 'SAMEORIGIN') add('x-frame-options-sameorigin-or-deny', 0);
  else add('x-frame-options-not-implemented', -20);
  const hsts = /max-age=(\d+)/.exec(h.get('strict-transport-security') ?? '');
  if (!hsts) add('hsts-not-implemented', -20);
  else if (Number(hsts[1]) < 15768000) add('hsts-implemented-max-age-less-than-six-months', -10);
  else add('hsts-implemented-max-age-at-least-six-months', 0);
  if ((h.get('x-content-type-options') ?? '').toLowerCase() !== 'nosniff') add('x-content-type-options-not-implemented', -5);
  else add('x-content-type-options-nosniff', 0);
  const referrer = (h.get('referrer-policy') ?? '').toLowerCase();
  if (['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(referrer)) add('referrer-policy-private', 5);
  else if (!referrer) add('referrer-policy-not-implemented', 0);
  else add('referrer-policy-unsafe', -5);
  const corp = h.get('cross-origin-resource-policy');
  add(corp ? 'corp-implemented' : 'corp-not-implemented', 0);
  // No cookies, no subresources from other hosts, no CORS: those tests pass at 0.
  add('cookies-not-found', 0);
  add('sri-not-implemented-but-all-scripts-loaded-from-secure-origin', 0);
  add('cross-origin-resource-sharing-not-implemented', 0);
  const bonuses = found.filter((f) => / \+\d+$/.test(f) && !f.endsWith('+0')).map((f) => Number(f.split('+')[1])).reduce((a, b) => a + b, 0);
  const penalties = score - 100 - bonuses;
  const final = 100 + penalties >= 90 ? 100 + penalties + bonuses : 100 + penalties;
  return { score: final, tests: found };
}

async function main() {
  const expected = await policyHeaders();
  const css = await linkedFrom('index.html', /<link rel="stylesheet" href="([^"]+)"/);
  const script = await linkedFrom('search/index.html', /<script src="([^"]+)"/);
  const download = await firstFile('files', () => true);
  const lasting = 'public, max-age=31536000, immutable';
  const targets = [
    ['a page', '/', 200],
    ['a page in English', '/en/', 200],
    ['a page by its folder, without the slash (a redirect)', '/about', 301],
    ['the style sheet', css, 200, lasting],
    ['the feed', '/news/feed.xml', 200],
    ['the search script', script, 200, lasting],
    ['a download', download, 200],
    ['a page that does not exist', '/no-such-page/', 404],
    ['a page that does not exist, in English', '/en/no-such-page/', 404],
    ['.htaccess', '/.htaccess', [403, 404]],
    ['.htaccess in a language folder', '/en/.htaccess', [403, 404]],
    ['_headers', '/_headers', [403, 404]],
    ['yorisoi-nginx.conf', '/yorisoi-nginx.conf', [403, 404]],
    ['the output marker', '/.yorisoi-output', [403, 404]],
  ].filter(([, target]) => target);
  if (!css || !script) throw new Error(`no style sheet (${css}) or search script (${script}) linked`);
  const notFoundPages = new Map([
    ['/', await readFile(path.join(site, '404.html'), 'utf8')],
    ['/en/', await readFile(path.join(site, 'en', '404.html'), 'utf8')],
  ]);
  // Each compressed answer, and the file it must be: [target, file, Accept-Encoding, by server].
  const compressed = [
    ['/', 'index.html', 'gzip', { nginx: 'gzip', Apache: 'gzip' }],
    ['/about/', 'about/index.html', 'gzip, deflate, br', { nginx: 'gzip', Apache: 'gzip' }],
    [css, css.slice(1), 'gzip, deflate, br', { nginx: 'gzip', Apache: 'br' }],
    [script, script.slice(1), 'br', { nginx: null, Apache: 'br' }],
    ['/news/feed.xml', 'news/feed.xml', 'gzip', { nginx: 'gzip', Apache: 'gzip' }],
    ['/', 'index.html', null, { nginx: null, Apache: null }],
  ];
  const work = await mkdtemp(path.join(tmpdir(), 'yorisoi-servers-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(work, dir));
  let failures = 0;
  const servers = [];
  try {
    servers.push(['nginx', await startNginx(work, 18081), 18081]);
    servers.push(['Apache', await startApache(work, 18082), 18082]);
    for (const [name, , port] of servers) {
      let shown = false;
      let headersOfPage = null;
      for (const [what, target, status, cache = 'no-cache'] of targets) {
        const response = await fetch(`http://127.0.0.1:${port}${target}`, { redirect: 'manual' });
        const body = await response.text();
        const problems = [];
        const statuses = Array.isArray(status) ? status : [status];
        if (!statuses.includes(response.status)) problems.push(`status ${response.status}, not ${statuses.join(' or ')}`);
        for (const [header, value] of [...expected, ['cache-control', cache]]) {
          const got = response.headers.get(header);
          if (got !== value) problems.push(`${header}: ${got === null ? 'missing' : JSON.stringify(got)}`);
        }
        if (status === 404) {
          const language = target.startsWith('/en/') ? '/en/' : '/';
          if (body !== notFoundPages.get(language)) problems.push(`not the site's own 404 page for ${language}`);
        }
        if (status === 200 && target.endsWith('/') && !/charset=utf-8/i.test(response.headers.get('content-type') ?? '')) problems.push(`Content-Type ${response.headers.get('content-type')}`);
        if (Array.isArray(status) && body.includes('Written by yorisoi')) problems.push('the settings were served');
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name} ${target} (${what}): ${response.status}${problems.length ? `: ${problems.join('; ')}` : ''}`);
        failures += problems.length ? 1 : 0;
        if (!shown && target === '/') {
          headersOfPage = response.headers;
          shown = true;
          console.log(`     headers of ${target}:`);
          for (const [h, v] of response.headers) console.log(`       ${h}: ${v}`);
        }
        if (target === css || target === '/en/no-such-page/') {
          console.log(`     headers of ${target}:`);
          for (const [h, v] of response.headers) console.log(`       ${h}: ${v}`);
        }
      }
      for (const [target, file, accepts, by] of compressed) {
        const want = by[name];
        const answer = await raw(port, target, accepts);
        const suffix = { gzip: '.gz', br: '.br' }[want] ?? '';
        const expectedBytes = await readFile(path.join(site, file + suffix));
        const problems = [];
        if (answer.status !== 200) problems.push(`status ${answer.status}`);
        if ((answer.headers['content-encoding'] ?? null) !== want) problems.push(`Content-Encoding ${answer.headers['content-encoding']}, not ${want}`);
        if (!answer.body.equals(expectedBytes)) problems.push(`${answer.body.length} bytes, not those of ${file + suffix} (${expectedBytes.length})`);
        if (!/accept-encoding/i.test(answer.headers.vary ?? '')) problems.push(`Vary ${answer.headers.vary}`);
        const type = answer.headers['content-type'] ?? '';
        const wantType = { '.html': 'text/html', '.css': 'text/css', '.js': 'javascript', '.xml': 'xml' }[path.extname(file)];
        if (!type.includes(wantType)) problems.push(`Content-Type ${type}`);
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name} ${target} accepting ${accepts ?? 'nothing'}: ${want ?? 'identity'}, ${answer.body.length} bytes${problems.length ? `: ${problems.join('; ')}` : ''}`);
        failures += problems.length ? 1 : 0;
      }
      const { score, tests } = observatory(headersOfPage);
      console.log(`     Observatory rules on ${name}: ${score} (${tests.join(', ')})`);
      if (score < 100) {
        failures++;
        console.log(`FAIL ${name}: Observatory score ${score}, below 100`);
      }
    }
  } finally {
    for (const [, child] of servers) child.kill('SIGTERM');
    await wait(300);
    await rm(work, { recursive: true, force: true });
  }
  console.log(failures === 0 ? 'servers: PASS' : `servers: FAIL (${failures})`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 2; });
