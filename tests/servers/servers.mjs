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
// each server also serves the site over TLS (a certificate made for localhost), with
// plain HTTP redirecting to it, and the MDN HTTP Observatory's own scanner
// (observatory.mjs) grades it: its score must be at least 100 (A+). Exits non-zero on
// any failure.

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

// A certificate for localhost, trusted only by the scanner's process.
function makeCertificate(work) {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes',
    '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem'), '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
}

async function startNginx(work, port, tls) {
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
  server {
    listen 127.0.0.1:${tls.https} ssl;
    ssl_certificate ${work}/cert.pem;
    ssl_certificate_key ${work}/key.pem;
    root ${site};
    include ${site}/yorisoi-nginx.conf;
  }
  server {
    listen 127.0.0.1:${tls.http};
    return 301 https://localhost:${tls.https}$request_uri;
  }
}
`);
  const check = spawnSync('/usr/sbin/nginx', ['-t', '-c', conf, '-p', work], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refuses the settings:\n${check.stderr}`);
  const child = spawn('/usr/sbin/nginx', ['-c', conf, '-p', work], { stdio: 'inherit' });
  await untilUp(port);
  return child;
}

async function startApache(work, port, tls) {
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
LoadModule alias_module ${modules}/mod_alias.so
LoadModule socache_shmcb_module ${modules}/mod_socache_shmcb.so
LoadModule ssl_module ${modules}/mod_ssl.so
Listen 127.0.0.1:${tls.https}
Listen 127.0.0.1:${tls.http}
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
<VirtualHost 127.0.0.1:${tls.https}>
  ServerName localhost
  SSLEngine on
  SSLCertificateFile ${work}/cert.pem
  SSLCertificateKeyFile ${work}/key.pem
  DocumentRoot ${site}
</VirtualHost>
<VirtualHost 127.0.0.1:${tls.http}>
  ServerName localhost
  Redirect permanent / https://localhost:${tls.https}/
</VirtualHost>
`);
  const check = spawnSync('/usr/sbin/apache2', ['-t', '-f', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`Apache refuses the settings:\n${check.stderr}`);
  const child = spawn('/usr/sbin/apache2', ['-f', conf, '-DFOREGROUND'], { stdio: 'inherit' });
  await untilUp(port);
  return child;
}

// The Observatory's grade of a server over TLS, from its own scanner in a process that
// trusts the test's certificate.
function observatory(work, tls) {
  const run = spawnSync(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), 'observatory.mjs'),
    '--http', String(tls.http), '--https', String(tls.https)], {
    encoding: 'utf8',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(work, 'cert.pem'), NODE_OPTIONS: '--dns-result-order=ipv4first' },
    timeout: 120000,
  });
  if (run.status !== 0) throw new Error(`the Observatory's scanner failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
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
    ['the open data', '/opendata/municipal-desks.csv', 200],
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
    ['/opendata/municipal-desks.csv', 'opendata/municipal-desks.csv', 'gzip', { nginx: 'gzip', Apache: 'gzip' }],
    ['/', 'index.html', null, { nginx: null, Apache: null }],
  ];
  const work = await mkdtemp(path.join(tmpdir(), 'yorisoi-servers-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(work, dir));
  let failures = 0;
  const servers = [];
  try {
    makeCertificate(work);
    const tlsOf = { nginx: { http: 18083, https: 18443 }, Apache: { http: 18084, https: 18444 } };
    servers.push(['nginx', await startNginx(work, 18081, tlsOf.nginx), 18081]);
    servers.push(['Apache', await startApache(work, 18082, tlsOf.Apache), 18082]);
    for (const [name, , port] of servers) {
      let shown = false;
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
        if (target.endsWith('.csv') && !/^text\/csv; ?charset=utf-8$/i.test(response.headers.get('content-type') ?? '')) problems.push(`Content-Type ${response.headers.get('content-type')}`);
        if (Array.isArray(status) && body.includes('Written by yorisoi')) problems.push('the settings were served');
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name} ${target} (${what}): ${response.status}${problems.length ? `: ${problems.join('; ')}` : ''}`);
        failures += problems.length ? 1 : 0;
        if (!shown && target === '/') {
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
        const wantType = { '.html': 'text/html', '.css': 'text/css', '.js': 'javascript', '.xml': 'xml', '.csv': 'text/csv' }[path.extname(file)];
        if (!type.includes(wantType)) problems.push(`Content-Type ${type}`);
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name} ${target} accepting ${accepts ?? 'nothing'}: ${want ?? 'identity'}, ${answer.body.length} bytes${problems.length ? `: ${problems.join('; ')}` : ''}`);
        failures += problems.length ? 1 : 0;
      }
      const { score, grade, tests } = observatory(work, tlsOf[name]);
      const named = tests.map((t) => `${t.result} ${t.modifier >= 0 ? '+' : ''}${t.modifier}`);
      console.log(`     MDN HTTP Observatory on ${name} over TLS: ${score} (${grade}): ${named.join(', ')}`);
      if (score < 100 || tests.some((t) => !t.pass)) {
        failures++;
        console.log(`FAIL ${name}: Observatory score ${score}, or a test failed`);
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
