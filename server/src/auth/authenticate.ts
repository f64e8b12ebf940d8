import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type pg from 'pg';
import { HttpProblem } from '../http/problem.ts';
import type { LayerDefinition } from '../registry/layers.ts';
import type { User } from './accounts.ts';
import { sessionFor, userForApiToken, type Session } from './sessions.ts';

export const sessionCookie = 'city_ops_session';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user, if any (see authenticate). */
    user?: User;
    /** The cookie session behind `user`, absent for API tokens and anonymous requests. */
    session?: Session;
    /** The session cookie's token, to end that session on sign-out. */
    sessionToken?: string;
  }
}

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export const unauthorized = (detail = 'Sign in first.') => new HttpProblem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Finds who is asking: a bearer API token, or the session cookie. A cookie-authenticated write
 * must also echo the session's CSRF token in X-CSRF-Token: another site can make the browser
 * send the cookie, but cannot read the token.
 */
export function authenticate(pool: pg.Pool): RequestHandler {
  return async (request: Request, _response: Response, next: NextFunction) => {
    const authorization = request.get('authorization');
    if (authorization) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const user = bearer ? await userForApiToken(pool, bearer) : undefined;
      if (!user) throw unauthorized('The API token is not valid or was revoked.');
      request.user = user;
      return next();
    }
    // Signing in starts a new session whatever cookie the browser still holds.
    if (request.path === '/api/auth/login') return next();
    const token = cookieValue(request, sessionCookie);
    const session = token ? await sessionFor(pool, token) : undefined;
    if (session) {
      if (unsafeMethods.has(request.method) && request.get('x-csrf-token') !== session.csrfToken) {
        throw forbidden('The X-CSRF-Token header is missing or does not match the session.');
      }
      request.user = session.user;
      request.session = session;
      request.sessionToken = token;
    }
    next();
  };
}

export function requireUser(request: Request): User {
  if (!request.user) throw unauthorized();
  return request.user;
}

function mayEdit(user: User, layer: LayerDefinition): boolean {
  return user.role === 'admin' || layer.editableBy.includes(user.role);
}

/** The user, if they may write this layer: 401 when nobody is signed in, 403 for another role. */
export function requireEditor(request: Request, layer: LayerDefinition): User {
  const user = requireUser(request);
  if (!mayEdit(user, layer)) throw forbidden(`The ${user.role} role may not edit ${layer.id}.`);
  return user;
}

/** Reads need a signed-in user unless anonymous reads are allowed. */
export function readGate(anonymousReads: boolean): RequestHandler {
  return (request, _response, next) => {
    if (!anonymousReads && !request.user && (request.method === 'GET' || request.method === 'HEAD')) {
      const open = request.path === '/api/health' || request.path.startsWith('/api/auth/') || !/^\/(api|tiles|ogc)(\/|$)/.test(request.path);
      if (!open) throw unauthorized('Anonymous reading is turned off: sign in first.');
    }
    next();
  };
}
