import type { IncomingMessage } from 'node:http';
import type { World } from './world.js';

const kWorld = Symbol('vobiz-mock.world');
const kBody = Symbol('vobiz-mock.body');

interface Tagged extends IncomingMessage {
  /** The request's namespace; null when it was classed as using none (a stateless page of a namespace not made). */
  [kWorld]?: World | null;
  [kBody]?: string;
}

/** Set by the HTTP layer on every request it dispatches: the namespace the request belongs to (null: none). */
export function setWorld(req: IncomingMessage, world: World | null): void {
  (req as Tagged)[kWorld] = world;
}

/** The namespace of a request (set by the HTTP layer, or for injected requests by the context plugin's hook). */
export function worldOf(req: IncomingMessage): World {
  return (req as Tagged)[kWorld]!;
}

export function worldOfOrNone(req: IncomingMessage): World | undefined {
  return (req as Tagged)[kWorld] ?? undefined;
}

/** Whether a request's namespace was chosen already (by the HTTP layer), even if it is none. */
export function hasWorld(req: IncomingMessage): boolean {
  return (req as Tagged)[kWorld] !== undefined;
}

/** An adapter keeps the JSON body it read, for the journal. */
export function keepBody(req: IncomingMessage, text: string | undefined): void {
  if (text !== undefined) (req as Tagged)[kBody] = text;
}

export function bodyOf(req: IncomingMessage): string | undefined {
  return (req as Tagged)[kBody];
}
