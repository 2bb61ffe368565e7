import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens: HS256 JSON Web Tokens, as Vobiz's console issues, signed with a published key so that any
 * JWT library can mint one. `sub` is the account's auth_id; an `exp` (epoch seconds), when present, is
 * checked against the emulator's clock.
 */
export const BEARER_KEY = 'vobiz-mock';

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const sign = (input: string) => createHmac('sha256', BEARER_KEY).update(input).digest();

/**
 * A Bearer token for an account: valid on the endpoints that accept Bearer, until `expiresAt` if given (a Date,
 * or epoch milliseconds; checked against the namespace clock).
 */
export function bearerToken(authId: string, options: { expiresAt?: Date | number; refresh?: boolean } = {}): string {
  const claims = {
    sub: authId,
    iss: 'vobiz-mock',
    ...(options.expiresAt !== undefined ? { exp: Math.floor(Number(options.expiresAt) / 1000) } : {}),
    ...(options.refresh === true ? { use: 'refresh' } : {}),
  };
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${sign(body).toString('base64url')}`;
}

/**
 * The auth_id a token was issued for, or undefined when its signature or expiry is wrong, or it is a refresh
 * token where an access token is wanted (or the other way round).
 */
export function verifyBearer(token: string, now: number, refresh = false): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== header) return undefined;
  const given = Buffer.from(parts[2]!, 'base64url');
  const expected = sign(`${parts[0]}.${parts[1]}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown; use?: unknown };
    if (typeof claims.sub !== 'string') return undefined;
    if ((claims.use === 'refresh') !== refresh) return undefined;
    if (claims.exp !== undefined && (typeof claims.exp !== 'number' || claims.exp * 1000 <= now)) return undefined;
    return claims.sub;
  } catch {
    return undefined;
  }
}
