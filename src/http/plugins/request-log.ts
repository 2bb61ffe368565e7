import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { redactHeaders, redactUrl } from '../../domain/redact.js';

/**
 * Per-request log lines at debug level, one a request, with the (redacted) request headers; nothing at
 * info. So the default level costs the request path nothing, and --log-level debug shows every call.
 */
export class RequestLog extends LogController {
  readonly #parameters: ReadonlySet<string>;

  /** `parameters`: the query parameters the operations document, whose values may be shown. */
  constructor(parameters: ReadonlySet<string>) {
    super({ requestIdLogLabel: 'requestId' });
    this.#parameters = parameters;
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const log = request.log as FastifyRequest['log'] & { isLevelEnabled(level: string): boolean };
    if (!log.isLevelEnabled('debug')) return;
    const line = {
      method: request.method,
      url: redactUrl(request.url, this.#parameters),
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
      headers: redactHeaders(request.headers, (authId) => request.server.store.taken(authId)),
      ...(error ? { err: error } : {}),
    };
    log.debug(line, 'request completed');
  }
}
