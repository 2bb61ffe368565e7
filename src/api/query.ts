import { parse } from 'fast-querystring';

/** A query string's parameters (repeated ones as arrays), decoded as Fastify decodes them. */
export function parseQuery(raw: string): Record<string, string | string[]> {
  return raw === '' ? {} : (parse(raw) as Record<string, string | string[]>);
}
