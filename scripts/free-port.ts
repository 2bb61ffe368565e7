import { createServer } from 'node:net';

/** A port nothing listens on now on 127.0.0.1 (the kernel's choice for port 0), for the bench and the tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
