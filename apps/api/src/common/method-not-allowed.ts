import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ApiErrorCode, problemType } from './problem.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A documented path as a matcher and the methods it answers (HEAD with GET, as Express routes it). */
interface PathMethods {
  pattern: RegExp;
  allow: string;
}

/** The documented paths of `doc`, each `{param}` matching one path segment. */
export function pathMethods(doc: OpenAPIObject): PathMethods[] {
  return Object.entries(doc.paths).map(([template, item]) => {
    const methods = METHODS.filter((m) => (item as Record<string, unknown>)[m] !== undefined).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return { pattern: new RegExp(`^${source}/?$`), allow: [...methods, 'OPTIONS'].join(', ') };
  });
}

/**
 * Express middleware for the documented paths of the API (from its OpenAPI document, read when the first request
 * comes): a method the path does not document answers 405 METHOD_NOT_ALLOWED (problem+json) with `Allow` listing
 * the methods it does (RFC 9110 §15.5.6); OPTIONS answers 204 with `Allow`. Other paths pass through (404 as before).
 * Register it after CORS, so that a CORS preflight is answered by CORS.
 */
export function methodNotAllowed(document: () => OpenAPIObject | undefined): (req: Request, res: Response, next: NextFunction) => void {
  let table: PathMethods[] | undefined;
  return (req, res, next) => {
    const doc = document();
    if (!doc) return next();
    table ??= pathMethods(doc);
    const entry = table.find((p) => p.pattern.test(req.path));
    if (!entry || (entry.allow.split(', ').includes(req.method) && req.method !== 'OPTIONS')) return next();
    res.setHeader('Allow', entry.allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    const id = (req as Request & { id?: unknown }).id;
    res
      .status(405)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: problemType(ApiErrorCode.MethodNotAllowed),
          title: 'Method not allowed',
          status: 405,
          detail: `${req.method} is not allowed on ${req.path}; allowed: ${entry.allow}`,
          code: ApiErrorCode.MethodNotAllowed,
          instance: req.originalUrl,
          ...(id !== undefined ? { correlationId: String(id) } : {}),
        }),
      );
  };
}
