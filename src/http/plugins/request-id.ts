import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Whether a value is (part of) the credential the request carries: never adopted as its id, so never echoed or logged. */
function isCredential(value: string, headers: Record<string, string | string[] | undefined>): boolean {
  const token = headers['x-auth-token'];
  if (typeof token === 'string' && token.includes(value)) return true;
  const authorization = headers['authorization'];
  if (typeof authorization !== 'string') return false;
  if (authorization.includes(value)) return true;
  const basic = /^\s*basic\s+(\S+)/i.exec(authorization);
  return basic !== null && Buffer.from(basic[1]!, 'base64').toString('latin1').includes(value);
}

/**
 * Request ids: an inbound X-Request-Id is kept when it is safe to echo (and is not the request's own
 * credential); otherwise req_ and 12 hex digits, counted per app.
 */
export function requestIdGenerator(): (req: { headers: Record<string, string | string[] | undefined> }) => string {
  let count = 0;
  return (req) => {
    const inbound = req.headers['x-request-id'];
    if (typeof inbound === 'string' && /^[\w.:-]{1,128}$/.test(inbound) && !isCredential(inbound, req.headers)) return inbound;
    count += 1;
    return `req_${count.toString(16).padStart(12, '0')}`;
  };
}

/** Every response carries its request id. */
const requestId: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
};

export default fp(requestId, { name: 'vobiz-request-id' });
