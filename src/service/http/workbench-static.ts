import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// Inline styles are what the graph and chart libraries set on their own elements; no script
// or style is ever loaded from elsewhere.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * Where `npm run build` puts the workbench's compiled files: `dist/web` beside the compiled
 * service, found from the source tree too so tests run against the same build.
 */
export function defaultWorkbenchRoot(): string | null {
  const candidates = [new URL('../../web/', import.meta.url), new URL('../../../dist/web/', import.meta.url)].map((url) => fileURLToPath(url));
  return candidates.find((path) => existsSync(join(path, 'index.html'))) ?? null;
}

/**
 * Serves the workbench's files at /ui/ from memory: a fixed set read once at start-up, so no
 * request path ever reaches the file system. Unknown paths under /ui/ get the app's page, which
 * routes them itself.
 */
export function registerWorkbenchStatic(app: FastifyInstance, root: string | null = defaultWorkbenchRoot()): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  if (root !== null) {
    for (const path of listFiles(root)) files.set(relative(root, path).split('\\').join('/'), { body: readFileSync(path), type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
  }
  const send = (reply: FastifyReply, name: string) => {
    const file = files.get(name);
    if (file === undefined) {
      return reply
        .code(503)
        .headers(SECURITY_HEADERS)
        .type('text/plain; charset=utf-8')
        .send('The workbench is not built: run `npm run build`, then restart `distillguard serve`.');
    }
    // Built assets carry a content hash in their names; the page itself must be re-read.
    const cache = name.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply.headers(SECURITY_HEADERS).header('cache-control', cache).type(file.type).send(file.body);
  };
  const schema = { hide: true };
  app.get('/ui', { schema }, async (_request, reply) => reply.redirect('/ui/'));
  app.get<{ Params: { '*': string } }>('/ui/*', { schema }, async (request, reply) => {
    const name = request.params['*'];
    return send(reply, files.has(name) ? name : 'index.html');
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
