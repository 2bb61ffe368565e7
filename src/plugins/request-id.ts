import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Request ids: an inbound X-Request-Id is kept when it is safe to echo; otherwise req_ and 12 hex digits, counted per app. */
export function requestIdGenerator(): (req: { headers: Record<string, string | string[] | undefined> }) => string {
  let count = 0;
  return (req) => {
    const inbound = req.headers['x-request-id'];
    if (typeof inbound === 'string' && /^[\w.:-]{1,128}$/.test(inbound)) return inbound;
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
