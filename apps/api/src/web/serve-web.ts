import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../../libs/temporal/binaries.js';

/** Paths the workbench must never shadow: the API, its documents and the health probes. */
const NOT_THE_WORKBENCH = /^\/(api|docs)(\/|$)/;

/**
 * Serves the built workbench (React single-page app) at `/` from the same origin as the API, so the browser needs
 * no CORS: hashed assets under /assets with a year's cache, and index.html (never cached) for every other GET that
 * is not /api or /docs, so a reload of /projects/{code} opens that page.
 * Input: `dir`, the build folder (WEB_DIST_DIR), or '' for the project's apps/web/dist.
 * @returns the folder served, or null when there is no build (the API then serves no workbench)
 */
export function serveWorkbench(app: INestApplication, dir: string): string | null {
  const root = dir || path.join(projectRoot(), 'apps', 'web', 'dist');
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) return null;
  app.use('/assets', express.static(path.join(root, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  // The API's own paths never reach the file system (a stat per API request otherwise).
  const files = express.static(root, { index: false, maxAge: 0 });
  app.use((req: Request, res: Response, next: NextFunction) => (NOT_THE_WORKBENCH.test(req.path) ? next() : files(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_WORKBENCH.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return root;
}
