import { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type pg from 'pg';
import { z } from 'zod';
import { badRequest, HttpProblem, invalidParamsOf, notFound, sendProblem } from '../http/problem.ts';
import { passwordSchema, userWithPassword, usernameSchema } from './accounts.ts';
import { forbidden, requireUser, sessionCookie, unauthorized } from './authenticate.ts';
import { createApiToken, endSession, listApiTokens, revokeApiToken, sessionLifetimeHours, startSession } from './sessions.ts';

export const loginBodySchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();
export const tokenBodySchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** The body, checked by its schema: a 400 problem names each wrong field. */
function parseBody<T>(schema: z.ZodType<T>, request: Request): T {
  const parsed = schema.safeParse(request.body);
  if (parsed.success) return parsed.data;
  throw badRequest(
    'The request body is not valid.',
    invalidParamsOf(parsed.error),
  );
}

const fifteenMinutes = 15 * 60 * 1000;

/** Failed sign-ins only: a typo should not lock out a user who then gets it right. */
function signInLimiter(limit: number, keyOf: (request: Request) => string, what: string) {
  return rateLimit({
    windowMs: fifteenMinutes,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: keyOf,
    handler: (_request, response) =>
      sendProblem(response, new HttpProblem(429, 'Too Many Requests', `Too many failed sign-ins for this ${what}; wait 15 minutes.`)),
  });
}

export interface AuthOptions {
  /** Cookies marked Secure: on whenever the console is served over https. */
  secureCookies: (request: Request) => boolean;
}

export function authRoutes(pool: pg.Pool, options: AuthOptions): Router {
  const router = Router();
  // ipKeyGenerator groups an IPv6 address by its /56, so one host cannot rotate addresses past the limit.
  const perAddress = signInLimiter(30, (request) => `address:${ipKeyGenerator(request.ip ?? '')}`, 'address');
  const perAccount = signInLimiter(
    5,
    (request) => `account:${typeof request.body?.username === 'string' ? request.body.username.toLowerCase() : ''}`,
    'account',
  );

  router.post('/api/auth/login', perAddress, perAccount, async (request, response) => {
    const { username, password } = parseBody(loginBodySchema, request);
    const validName = usernameSchema.safeParse(username).success && passwordSchema.safeParse(password).success;
    const user = validName ? await userWithPassword(pool, username, password) : undefined;
    // One answer for an unknown user and a wrong password: nothing to learn about who exists.
    if (!user) throw unauthorized('The username or password is wrong.');
    const session = await startSession(pool, user);
    response.cookie(sessionCookie, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies(request),
      path: '/',
      maxAge: sessionLifetimeHours * 3600 * 1000,
    });
    response.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });

  router.post('/api/auth/logout', async (request, response) => {
    if (request.sessionToken) await endSession(pool, request.sessionToken);
    response.clearCookie(sessionCookie, { path: '/' });
    response.status(204).end();
  });

  router.get('/api/auth/me', (request, response) => {
    const user = requireUser(request);
    response.json({ user, csrfToken: request.session?.csrfToken ?? null, expiresAt: request.session?.expiresAt ?? null });
  });

  router.get('/api/auth/tokens', async (request, response) => {
    const user = requireUser(request);
    response.json({ tokens: await listApiTokens(pool, user) });
  });

  router.post('/api/auth/tokens', async (request, response) => {
    const user = requireUser(request);
    // Otherwise a leaked token could mint successors that outlive its revocation.
    if (!request.session) throw forbidden('API tokens are made from a signed-in session, not with another token.');
    const { name } = parseBody(tokenBodySchema, request);
    const created = await createApiToken(pool, user, name);
    // The token is shown this once; only its digest is kept.
    response.status(201).json({ id: created.id, name, token: created.token });
  });

  router.delete('/api/auth/tokens/:tokenId', async (request, response) => {
    const user = requireUser(request);
    const tokenId = Number(request.params.tokenId);
    if (!Number.isSafeInteger(tokenId) || !(await revokeApiToken(pool, user, tokenId))) {
      throw notFound(`You have no API token ${JSON.stringify(request.params.tokenId)}.`);
    }
    response.status(204).end();
  });

  return router;
}
