import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Names of headers and query parameters whose values never reach a log line: the known credentials, and any
 * name that looks like one (a token sent in the wrong header is still a token). X-Auth-ID is an account's
 * public id and stays visible.
 */
const secretName = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|api[-_]?key|^key$|signature|credential/i;

const censor = '[redacted]';

/** Headers with every credential-like value replaced. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = secretName.test(name) ? censor : value;
  return out;
}

/** A request URL with the values of credential-like query parameters replaced (`?token=...`, `&password=...`). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      let name = eq < 0 ? pair : pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is judged as written
      }
      return eq >= 0 && secretName.test(name) ? `${pair.slice(0, eq)}=${censor}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/**
 * Per-request log lines at debug level, one a request, with the (redacted) request headers; nothing at
 * info. So the default level costs the request path nothing, and --log-level debug shows every call.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const log = request.log as FastifyRequest['log'] & { isLevelEnabled(level: string): boolean };
    if (!log.isLevelEnabled('debug')) return;
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
      headers: redactHeaders(request.headers),
      ...(error ? { err: error } : {}),
    };
    log.debug(line, 'request completed');
  }
}
