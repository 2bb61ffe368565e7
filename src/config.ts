import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Expected, expectation } from './schemas/expectation.js';
import { AuthTokenString, StringEnum } from './schemas/helpers.js';

/** --control-origins: `*`, or a comma-separated list of `loopback` and origins (scheme://host[:port]). */
const controlOriginsPattern = '^(\\*|(loopback|https?://[A-Za-z0-9.[\\]:-]+)(\\s*,\\s*(loopback|https?://[A-Za-z0-9.[\\]:-]+))*)$';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4010 }),
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    fixtures: Type.Optional(Type.String({ minLength: 1 })),
    generate: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    seed: Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 1 }),
    logLevel: StringEnum(logLevels, { default: 'info' }),
    cors: StringEnum(['on', 'off'] as const, { default: 'on' }),
    logFormat: StringEnum(['auto', 'json', 'pretty'] as const, { default: 'auto' }),
    journalSize: Type.Integer({ minimum: 0, maximum: 100_000, default: 1000 }),
    journalMemory: Type.Integer({ minimum: 1, maximum: 65_536, default: 64 }),
    maxNamespaces: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
    namespaceTtl: Type.Integer({ minimum: 0, maximum: 31_536_000, default: 3600 }),
    maxFaultRules: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
    maxLiveCalls: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000 }),
    maxAccounts: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000 }),
    maxSubAccounts: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 }),
    controlOrigins: Type.String({ pattern: controlOriginsPattern, default: 'loopback', [Expected]: 'loopback, *, or a comma-separated list of origins such as http://localhost:3000 (loopback may be one of them)' }),
    adminToken: Type.Optional(AuthTokenString()),
    allowFaultHeaders: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

type Key = keyof Config;

interface Setting {
  readonly key: Key;
  readonly flag: string;
  readonly env: string;
  readonly value: string;
  readonly help: string;
  readonly integer?: true;
  /** A flag without a value (`--allow-fault-headers`); its variable is true/false, 1/0, on/off. */
  readonly boolean?: true;
  /** Never repeated in a message. */
  readonly secret?: true;
}

/** Every setting once: its flag, its environment variable and its help. The CLI, --help and README follow this. */
export const settings: readonly Setting[] = [
  { key: 'port', flag: 'port', env: 'PORT', value: 'N', integer: true, help: 'port to listen on, 0 for any free port (default 4010)' },
  { key: 'host', flag: 'host', env: 'HOST', value: 'ADDR', help: 'address to listen on (default 127.0.0.1; 0.0.0.0 in the Docker image)' },
  { key: 'fixtures', flag: 'fixtures', env: 'VOBIZ_MOCK_FIXTURES', value: 'DIR', help: 'load accounts from the *.json files in DIR instead of the built-in set' },
  { key: 'generate', flag: 'generate', env: 'VOBIZ_MOCK_GENERATE', value: 'N', integer: true, help: 'add N generated accounts (default 0, at most 1000000)' },
  { key: 'seed', flag: 'seed', env: 'VOBIZ_MOCK_SEED', value: 'S', integer: true, help: 'seed for generated accounts (default 1); the same seed gives the same accounts' },
  { key: 'logLevel', flag: 'log-level', env: 'VOBIZ_MOCK_LOG_LEVEL', value: 'LEVEL', help: `${logLevels.join('|')} (default info; debug logs every request)` },
  { key: 'cors', flag: 'cors', env: 'VOBIZ_MOCK_CORS', value: 'on|off', help: 'CORS headers on every response and preflight answers (default on)' },
  { key: 'logFormat', flag: 'log-format', env: 'VOBIZ_MOCK_LOG_FORMAT', value: 'FORMAT', help: 'auto|json|pretty: readable lines at a terminal, JSON lines otherwise (default auto)' },
  { key: 'journalSize', flag: 'journal-size', env: 'VOBIZ_MOCK_JOURNAL_SIZE', value: 'N', integer: true, help: 'requests each namespace\'s journal keeps (default 1000, 0 off)' },
  { key: 'journalMemory', flag: 'journal-memory', env: 'VOBIZ_MOCK_JOURNAL_MEMORY', value: 'MB', integer: true, help: 'megabytes all journals hold together; the oldest entries of any namespace go first (default 64)' },
  { key: 'maxNamespaces', flag: 'max-namespaces', env: 'VOBIZ_MOCK_MAX_NAMESPACES', value: 'N', integer: true, help: 'namespaces at once besides default; a new one past it is a 503 (default 1000)' },
  { key: 'namespaceTtl', flag: 'namespace-ttl', env: 'VOBIZ_MOCK_NAMESPACE_TTL', value: 'SECONDS', integer: true, help: 'an idle namespace is dropped after this long (default 3600, 0 never; never the default one)' },
  { key: 'maxFaultRules', flag: 'max-fault-rules', env: 'VOBIZ_MOCK_MAX_FAULT_RULES', value: 'N', integer: true, help: 'fault rules each namespace holds (default 100)' },
  { key: 'maxLiveCalls', flag: 'max-live-calls', env: 'VOBIZ_MOCK_MAX_LIVE_CALLS', value: 'N', integer: true, help: 'live calls each namespace holds (default 10000)' },
  { key: 'maxAccounts', flag: 'max-accounts', env: 'VOBIZ_MOCK_MAX_ACCOUNTS', value: 'N', integer: true, help: 'accounts each namespace may add beyond its seeds (default 10000)' },
  { key: 'maxSubAccounts', flag: 'max-sub-accounts', env: 'VOBIZ_MOCK_MAX_SUB_ACCOUNTS', value: 'N', integer: true, help: 'sub-accounts each account may hold (default 1000)' },
  { key: 'controlOrigins', flag: 'control-origins', env: 'VOBIZ_MOCK_CONTROL_ORIGINS', value: 'ORIGINS', help: 'browser origins that may call the control plane: loopback (default), *, or a comma list of origins' },
  { key: 'adminToken', flag: 'admin-token', env: 'VOBIZ_MOCK_ADMIN_TOKEN', value: 'TOKEN', secret: true, help: 'the control plane (/__mock/v1) wants Authorization: Bearer TOKEN (default: open)' },
  { key: 'allowFaultHeaders', flag: 'allow-fault-headers', env: 'VOBIZ_MOCK_ALLOW_FAULT_HEADERS', value: '', boolean: true, help: 'honour X-Vobiz-Mock-Fault request headers (default off)' },
];

const truthy: Record<string, boolean> = { true: true, '1': true, on: true, yes: true, false: false, '0': false, off: false, no: false };

/** A bad flag or environment variable: the CLI prints the message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type RawSettings = Partial<Record<Key, string | undefined>>;

/** Reads the settings from the environment. The only reader of process.env in the project. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): RawSettings {
  const raw: RawSettings = {};
  for (const s of settings) {
    const value = env[s.env];
    if (value !== undefined && value !== '') raw[s.key] = value;
  }
  return raw;
}

/** What a setting must be, in the words every other message uses. */
const describe = (key: Key): string => expectation(ConfigSchema.properties[key]);

/**
 * Builds the configuration: defaults < environment < flags < programmatic options. Strings from the
 * environment and flags are checked strictly ("12abc" is not a port); the source is named in the error.
 */
export function resolveConfig(
  layers: { env?: RawSettings; flags?: RawSettings; options?: Partial<Config> } = {},
): Config {
  const merged: Record<string, unknown> = {};
  for (const [layer, source] of [['env', layers.env], ['flags', layers.flags]] as const) {
    for (const s of settings) {
      const text = source?.[s.key];
      if (text === undefined) continue;
      const name = layer === 'env' ? `environment variable ${s.env}` : `--${s.flag}`;
      const value = s.integer ? (/^\d{1,10}$/.test(text) ? Number(text) : Number.NaN) : s.boolean ? truthy[text.toLowerCase()] : text;
      if (!Value.Check(ConfigSchema.properties[s.key], value)) {
        const shown = s.secret ? `(a string of ${text.length} characters)` : JSON.stringify(text);
        throw new ConfigError(`invalid ${name} ${shown}: expected ${describe(s.key)}`);
      }
      merged[s.key] = value;
    }
  }
  for (const [key, value] of Object.entries(layers.options ?? {})) {
    if (value === undefined) continue;
    if (!(key in ConfigSchema.properties)) throw new ConfigError(`unknown option "${key}"`);
    if (!Value.Check(ConfigSchema.properties[key as Key], value)) {
      const shown = key === 'adminToken' ? '(not shown)' : JSON.stringify(value);
      throw new ConfigError(`invalid option ${key} ${shown}: expected ${describe(key as Key)}`);
    }
    merged[key] = value;
  }
  return Value.Default(ConfigSchema, merged) as Config;
}
