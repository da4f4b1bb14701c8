import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PromptCacheError } from '@prompt-cache/core';
import type { RequestContext } from './context.js';
import { sendText } from './replies.js';
import type { Route } from './router.js';

/** One static file of the dashboard. */
interface StaticFile {
  path: string;
  contentType: string;
  body: Buffer;
}

/** The dashboard's own files, beside `src/` and `dist/` alike. */
const PUBLIC_DIRECTORY = fileURLToPath(new URL('../public/', import.meta.url));

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * Reads the dashboard's files once: `index.html`, `dashboard.js`, `dashboard.css` from `public/`, and uPlot (the
 * chart library, pinned in package.json) straight from node_modules. No front-end build.
 */
function loadFiles(): StaticFile[] {
  try {
    return readFiles();
  } catch (error) {
    throw new PromptCacheError(
      'UPSTREAM_FAILED',
      `[server] the dashboard's files are missing (${(error as NodeJS.ErrnoException).code ?? String(error)} under ${PUBLIC_DIRECTORY}); ` +
        'install @prompt-cache/server with its public/ folder, and keep it external when bundling (list it in dependencies)',
      { cause: error },
    );
  }
}

function readFiles(): StaticFile[] {
  const require = createRequire(import.meta.url);
  const ownFile = (name: string, contentType: string, path = `/${name}`): StaticFile => ({
    path,
    contentType,
    body: readFileSync(`${PUBLIC_DIRECTORY}${name}`),
  });
  const vendor = (specifier: string, path: string, contentType: string): StaticFile => ({
    path,
    contentType,
    body: readFileSync(require.resolve(specifier)),
  });
  return [
    ownFile('index.html', 'text/html; charset=utf-8', '/'),
    ownFile('dashboard.js', 'text/javascript; charset=utf-8'),
    ownFile('dashboard.css', 'text/css; charset=utf-8'),
    vendor('uplot/dist/uPlot.iife.min.js', '/vendor/uPlot.iife.min.js', 'text/javascript; charset=utf-8'),
    vendor('uplot/dist/uPlot.min.css', '/vendor/uPlot.min.css', 'text/css; charset=utf-8'),
  ];
}

/** `GET /` and the dashboard's scripts and styles. Public: the page itself asks for a key when the gateway has keys. */
export function dashboardRoutes(): Route<RequestContext>[] {
  return loadFiles().map((file) => ({
    method: 'GET',
    pattern: file.path,
    access: 'public',
    name: 'dashboard',
    handle(context: RequestContext) {
      // For HEAD, node:http and node:http2 send the headers and drop the body.
      sendText(context.response, 200, file.body, { 'content-type': file.contentType, ...SECURITY_HEADERS });
    },
  }));
}
