import { FormatRegistry } from '@sinclair/typebox';
import { readInstant } from './instant.js';

// TypeBox's own checker knows no formats. A date-time is an RFC 3339 instant the emulator can hold (a day the
// calendar has, a year from 1 to 9999); uuid and email match what Fastify's Ajv (ajv-formats) accepts.
const uuid = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const email = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export function registerFormats(): void {
  if (FormatRegistry.Has('date-time')) return;
  FormatRegistry.Set('date-time', (value) => 'micros' in readInstant(value));
  FormatRegistry.Set('uuid', (value) => uuid.test(value));
  FormatRegistry.Set('email', (value) => email.test(value));
}

// Registered when first imported: every checker that imports this module knows the formats.
registerFormats();
