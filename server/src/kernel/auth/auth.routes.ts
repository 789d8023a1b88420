import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type Actor, loadActor } from '../access/actor.js';
import { LOCALES } from '../access/access.tables.js';
import { actorOf, SESSION_COOKIE } from '../http/security.js';
import { changeOwnPassword, login, logout, SESSION_IDLE_HOURS, setLocale } from './auth.service.js';
import { passwordSchema } from './passwords.js';

export const meSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  locale: z.enum(LOCALES),
  department: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  roles: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  dataScopes: z.array(z.string()),
  mustChangePassword: z.boolean(),
});

export function meOf(actor: Actor): z.infer<typeof meSchema> {
  return {
    id: actor.id,
    username: actor.username,
    displayName: actor.displayName,
    locale: actor.locale,
    department: actor.departmentId === null ? null : { id: actor.departmentId, name: actor.departmentName ?? '' },
    roles: actor.roles.map((r) => ({ id: r.id, code: r.code, name: actor.locale === 'en-US' ? r.nameEn : r.name })),
    permissions: [...actor.permissions].sort(),
    dataScopes: [...actor.scopes].sort(),
    mustChangePassword: actor.mustChangePassword,
  };
}

const sessionReply = z.object({ user: meSchema, csrfToken: z.string() });

export async function authRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      maxAge: SESSION_IDLE_HOURS * 3600 * 14, // the cookie may outlive a session; the server decides
    });

  r.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Log in; sets the session cookie and returns the CSRF token for later writes',
      body: z.object({ username: z.string().trim().min(1).max(60), password: z.string().min(1).max(200) }),
      response: { 200: sessionReply },
    },
    handler: async (req, reply) => {
      const result = await login(db, req.body.username, req.body.password, req.ip, req.headers['user-agent'] ?? null);
      setCookie(reply, result.token);
      return { user: meOf(result.actor), csrfToken: result.csrfToken };
    },
  });
  r.post('/api/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } },
    handler: async (req, reply) => {
      await logout(db, actorOf(req), req.sessionId!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });
  r.get('/api/auth/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Who is logged in, with permissions, scopes and the CSRF token', response: { 200: sessionReply } },
    handler: async (req) => ({ user: meOf(actorOf(req)), csrfToken: req.csrfToken! }),
  });
  r.patch('/api/auth/me/preferences', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['auth'],
      summary: 'Remember the user’s language',
      body: z.object({ locale: z.enum(LOCALES) }),
      response: { 200: z.object({ user: meSchema }) },
    },
    handler: async (req: FastifyRequest<{ Body: { locale: Actor['locale'] } }>) => {
      const actor = actorOf(req);
      await setLocale(db, actor, req.body.locale);
      return { user: meOf((await loadActor(db, actor.id, actor.ip))!) };
    },
  });
  r.post('/api/auth/me/password', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['auth'],
      summary: 'Change one’s own password; other sessions of the user end',
      body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await changeOwnPassword(db, actorOf(req), req.sessionId!, req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  });
}
