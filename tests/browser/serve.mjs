// What the browser tests share: the Chromium they drive, and a small local server for a
// built site that answers as the production web server does.

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
// Without these, Chromium tries to reach Google services and stalls on a closed network.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// Every file under `dir`, sorted.
export async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(entries.map((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  }));
  return files.flat().sort();
}

// Serves files the way the production web server does: a folder by its index.html, a
// folder without its trailing slash by redirect, anything missing by the nearest 404.html. Nothing is
// cached, so that every load is measured whole. `extraPages` maps paths to HTML served
// beside the site. Resolves to the listening server, on 127.0.0.1 at a free port.
export function startServer(siteDir, extraPages = {}) {
  const root = path.resolve(siteDir);

  function sendFile(res, file, status) {
    res.writeHead(status, {
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  async function isFile(file) {
    return (await stat(file).catch(() => null))?.isFile() ?? false;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = '/';
    }
    if (Object.hasOwn(extraPages, pathname)) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': 'no-store' });
      return res.end(extraPages[pathname]);
    }
    const file = path.join(root, pathname);
    const inside = file === root || file.startsWith(root + path.sep);
    if (inside && pathname.endsWith('/') && await isFile(path.join(file, 'index.html'))) {
      return sendFile(res, path.join(file, 'index.html'), 200);
    }
    if (inside && !pathname.endsWith('/') && await isFile(path.join(file, 'index.html'))) {
      res.writeHead(301, { Location: url.pathname + '/' + url.search });
      return res.end();
    }
    if (inside && await isFile(file)) return sendFile(res, file, 200);
    // The nearest 404 page, as the servers' settings choose it: en/404.html under /en/.
    const folders = pathname.split('/').filter((s) => s && s !== '..' && s !== '.');
    for (let n = folders.length; n >= 0; n--) {
      const notFound = path.join(root, ...folders.slice(0, n), '404.html');
      if (await isFile(notFound)) return sendFile(res, notFound, 404);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
