#!/usr/bin/env node
// A small static server for the browser example (no dependencies):
//
//   node wasm/examples/browser/serve.mjs [--port 8080] [--host 127.0.0.1]
//
// prints the page's URL alone on the first line of stdout (`--port 0` picks
// a free port), and serves this folder with the MIME types browsers insist
// on (`application/wasm` for streaming compilation, `text/javascript` for
// modules). Also importable: `startStaticServer()` for tests.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This folder: the page, its scripts and `pkg/`. */
export const EXAMPLE_DIR = fileURLToPath(new URL('.', import.meta.url));

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The file a request path names inside `root`, or undefined when it leaves it. */
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

async function handle(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  let file = fileFor(root, url.pathname);
  let info = file && (await stat(file).catch(() => undefined));
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!file || !info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`not found: ${url.pathname}\n`);
    return;
  }
  response.writeHead(200, {
    'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    // A rebuilt module is picked up on reload.
    'cache-control': 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

/**
 * Serves `root` (this folder by default) on `host:port`; resolves to
 * `{ server, url }` once listening. Port 0 picks a free port.
 */
export function startStaticServer({ port = 8080, host = '127.0.0.1', root = EXAMPLE_DIR } = {}) {
  const base = resolve(root);
  const server = createServer((request, response) => {
    handle(base, request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`error: ${error.message}\n`);
    });
  });
  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolveStart({ server, url: `http://${host}:${bound}/` });
    });
  });
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--port' && value !== undefined && /^\d+$/.test(value)) {
      options.port = Number(value);
      i += 1;
    } else if (flag === '--host' && value !== undefined) {
      options.host = value;
      i += 1;
    } else {
      throw new Error(`unknown argument ${flag}; usage: serve.mjs [--port N] [--host ADDRESS]`);
    }
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`serve.mjs: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  const { url } = await startStaticServer(options);
  console.log(url);
  const built = await stat(join(EXAMPLE_DIR, 'pkg', 'code_mesh_bg.wasm')).catch(() => undefined);
  if (!built) console.error('serve.mjs: pkg/ is missing; build it first with `bash npm/build.sh`');
  console.error(`serve.mjs: serving ${EXAMPLE_DIR}; open ${url}?endpoint=<your server's /v1 URL>`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`serve.mjs: ${error.message}`);
    process.exitCode = 1;
  });
}
