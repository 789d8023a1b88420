import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteAccess } from '../access/permissions.js';
import { resumeSession } from '../auth/auth.service.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors.js';

export const SESSION_COOKIE = 'rxdesk_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must say. */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every /api route with what it requires, for the authorization matrix test and the docs. */
    apiRoutes: { method: string; url: string; access: RouteAccess }[];
  }
  interface FastifyRequest {
    actor: import('../access/actor.js').Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

/**
 * The server-side gate for every API route, run before the body is parsed:
 * a route without `config.access` refuses to register; a private route needs a live session,
 * a matching CSRF token on writes, a changed initial password, and the named permission.
 */
export function installSecurity(app: FastifyInstance, db: Db) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);

  app.decorate('apiRoutes', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access) return; // static files and docs
    if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
    if (access === 'public') return;

    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await resumeSession(db, token, request.ip) : null;
    const actor = session?.actor;
    if (!session || !actor || actor.status !== 'active') throw new DomainError('AUTH_REQUIRED', {}, 401);
    request.actor = actor;
    request.sessionId = session.sessionId;
    request.csrfToken = session.csrfToken;

    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new DomainError('CSRF_INVALID', {}, 403);
    }
    if (access === 'authenticated') return;
    if (actor.mustChangePassword) throw new DomainError('AUTH_PASSWORD_CHANGE_REQUIRED', {}, 403);
    if (!actor.permissions.has(access)) throw new DomainError('FORBIDDEN', {}, 403);
  });
}

/** Refuses a cross-site write: when the browser says where the request came from, it must be this host. */
function assertSameOrigin(request: FastifyRequest) {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new DomainError('CSRF_INVALID', {}, 403);
  }
  if (host !== request.headers.host) throw new DomainError('CSRF_INVALID', {}, 403);
}

/** The acting user of a private route (the gate guarantees one). */
export function actorOf(request: FastifyRequest) {
  if (!request.actor) throw new DomainError('AUTH_REQUIRED', {}, 401);
  return request.actor;
}
