import type { IncomingMessage } from 'node:http';
import type { World } from './world.js';

const kWorld = Symbol('vobiz-mock.world');
const kBody = Symbol('vobiz-mock.body');

interface Tagged extends IncomingMessage {
  [kWorld]?: World;
  [kBody]?: string;
}

/** Set by the HTTP layer on every request it dispatches: the namespace the request belongs to. */
export function setWorld(req: IncomingMessage, world: World): void {
  (req as Tagged)[kWorld] = world;
}

/** The namespace of a request (set by the HTTP layer, or for injected requests by the context plugin's hook). */
export function worldOf(req: IncomingMessage): World {
  return (req as Tagged)[kWorld]!;
}

export function worldOfOrNone(req: IncomingMessage): World | undefined {
  return (req as Tagged)[kWorld];
}

/** An adapter keeps the JSON body it read, for the journal. */
export function keepBody(req: IncomingMessage, text: string | undefined): void {
  if (text !== undefined) (req as Tagged)[kBody] = text;
}

export function bodyOf(req: IncomingMessage): string | undefined {
  return (req as Tagged)[kBody];
}
