/**
 * What a log line may show of a request. Values are shown by allowlist, never by guessing which names look
 * secret: a token sent in the wrong header (X-Auth-Tok, Authorisation, Token...) or under a query parameter
 * no operation documents is still a token. X-Auth-ID is shown only when it names an account (an unknown one
 * may be a token pasted in the wrong header). An inbound X-Request-Id shows as the line's requestId when it
 * was adopted, which it never is when it is the request's own credential (src/plugins/request-id.ts).
 */
const visibleHeaders = new Set([
  'host',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'expect',
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-fern-language',
  'x-fern-runtime',
  'x-fern-runtime-version',
  'x-fern-platform',
  'x-fern-sdk-name',
  'x-fern-sdk-version',
  'x-vobiz-mock-namespace',
  'if-none-match',
  'cache-control',
]);

const censor = '[redacted]';

/** Headers with every value not known to be harmless replaced; `isAccount` decides whether X-Auth-ID is shown. */
export function redactHeaders(headers: Record<string, unknown>, isAccount: (authId: string) => boolean = () => false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (visibleHeaders.has(name)) out[name] = value;
    else if (name === 'x-auth-id') out[name] = typeof value === 'string' && isAccount(value) ? value : '[not an account]';
    else out[name] = censor;
  }
  return out;
}

/** A request URL with the value of every query parameter not in `known` replaced (`?token=[redacted]`). */
export function redactUrl(url: string, known: ReadonlySet<string>): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is no known parameter
      }
      return known.has(name) ? pair : `${pair.slice(0, eq)}=${censor}`;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
