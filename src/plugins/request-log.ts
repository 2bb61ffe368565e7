import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

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
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
      headers: request.headers,
      ...(error ? { err: error } : {}),
    };
    log.debug(line, 'request completed');
  }
}
