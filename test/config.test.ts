import t from 'tap';
import { ConfigError, resolveConfig, settingsFromEnv } from '../src/config.js';

t.test('defaults', async (t) => {
  t.same(resolveConfig(), { port: 4010, host: '127.0.0.1', generate: 0, seed: 1, logLevel: 'info', cors: 'on', logFormat: 'auto', journalSize: 1000, journalMemory: 64, maxNamespaces: 1000, namespaceTtl: 3600, maxFaultRules: 100, maxLiveCalls: 10000, maxAccounts: 10000, maxSubAccounts: 1000, controlOrigins: 'loopback', allowFaultHeaders: false });
});

t.test('defaults < environment < flags < programmatic options', async (t) => {
  const env = settingsFromEnv({ PORT: '5000', HOST: '0.0.0.0', VOBIZ_MOCK_SEED: '9', VOBIZ_MOCK_LOG_LEVEL: 'warn', VOBIZ_MOCK_CORS: 'off', UNRELATED: 'x' });
  t.same(env, { port: '5000', host: '0.0.0.0', seed: '9', logLevel: 'warn', cors: 'off' });
  t.same(resolveConfig({ env, flags: { port: '6000', seed: '10' }, options: { seed: 11 } }), {
    port: 6000,
    host: '0.0.0.0',
    generate: 0,
    seed: 11,
    logLevel: 'warn',
    cors: 'off',
    logFormat: 'auto',
    journalSize: 1000,
    journalMemory: 64,
    maxNamespaces: 1000,
    namespaceTtl: 3600,
    maxFaultRules: 100,
    maxLiveCalls: 10000,
    maxAccounts: 10000,
    maxSubAccounts: 1000,
    controlOrigins: 'loopback',
    allowFaultHeaders: false,
  });
});

t.test('control-plane settings: journal size, admin token (never repeated), fault headers', async (t) => {
  t.same(resolveConfig({ env: settingsFromEnv({ VOBIZ_MOCK_JOURNAL_SIZE: '0', VOBIZ_MOCK_ADMIN_TOKEN: 'adm-secret', VOBIZ_MOCK_ALLOW_FAULT_HEADERS: 'true' }) }), {
    port: 4010, host: '127.0.0.1', generate: 0, seed: 1, logLevel: 'info', cors: 'on', logFormat: 'auto', journalSize: 0, journalMemory: 64, maxNamespaces: 1000, namespaceTtl: 3600, maxFaultRules: 100, maxLiveCalls: 10000, maxAccounts: 10000, maxSubAccounts: 1000, controlOrigins: 'loopback', adminToken: 'adm-secret', allowFaultHeaders: true,
  });
  t.equal(resolveConfig({ flags: { allowFaultHeaders: 'true' } }).allowFaultHeaders, true);
  t.throws(() => resolveConfig({ flags: { adminToken: 'two words secret' } }), { message: 'invalid --admin-token (a string of 16 characters): expected 1 to 256 visible ASCII characters (no spaces)' });
  t.throws(() => resolveConfig({ env: { allowFaultHeaders: 'maybe' } }), { message: 'invalid environment variable VOBIZ_MOCK_ALLOW_FAULT_HEADERS "maybe": expected true or false' });
  t.throws(() => resolveConfig({ flags: { journalSize: '-1' } }), { message: 'invalid --journal-size "-1": expected an integer from 0 to 100000' });
});

t.test('strings are parsed strictly and the source is named', async (t) => {
  const cases: [Parameters<typeof resolveConfig>[0], string][] = [
    [{ flags: { port: '12abc' } }, 'invalid --port "12abc": expected an integer from 0 to 65535'],
    [{ flags: { cors: 'no' } }, 'invalid --cors "no": expected one of on, off'],
    [{ flags: { port: '70000' } }, 'invalid --port "70000": expected an integer from 0 to 65535'],
    [{ flags: { port: '1e3' } }, 'invalid --port "1e3": expected an integer from 0 to 65535'],
    [{ env: { port: '-1' } }, 'invalid environment variable PORT "-1": expected an integer from 0 to 65535'],
    [{ env: { generate: '2000000' } }, 'invalid environment variable VOBIZ_MOCK_GENERATE "2000000": expected an integer from 0 to 1000000'],
    [{ flags: { logLevel: 'loud' } }, 'invalid --log-level "loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ options: { port: 1.5 } }, 'invalid option port 1.5: expected an integer from 0 to 65535'],
    [{ options: { colour: 'blue' } as never }, 'unknown option "colour"'],
    [{ flags: { maxNamespaces: '0' } }, 'invalid --max-namespaces "0": expected an integer from 1 to 1000000'],
    [{ flags: { namespaceTtl: '-1' } }, 'invalid --namespace-ttl "-1": expected an integer from 0 to 31536000'],
    [{ flags: { journalMemory: '0' } }, 'invalid --journal-memory "0": expected an integer from 1 to 65536'],
    [{ env: { maxFaultRules: '100000' } }, 'invalid environment variable VOBIZ_MOCK_MAX_FAULT_RULES "100000": expected an integer from 1 to 10000'],
    [{ flags: { controlOrigins: 'http://a b' } }, 'invalid --control-origins "http://a b": expected loopback, *, or a comma-separated list of origins such as http://localhost:3000 (loopback may be one of them)'],
  ];
  for (const [layers, message] of cases) t.throws(() => resolveConfig(layers), new ConfigError(message), message);
});

t.test('bounds and origins: flags and variables', async (t) => {
  const config = resolveConfig({ env: settingsFromEnv({ VOBIZ_MOCK_MAX_NAMESPACES: '50', VOBIZ_MOCK_CONTROL_ORIGINS: 'loopback, https://dash.example:8443' }), flags: { namespaceTtl: '0', maxLiveCalls: '7' } });
  t.match(config, { maxNamespaces: 50, controlOrigins: 'loopback, https://dash.example:8443', namespaceTtl: 0, maxLiveCalls: 7 });
  t.equal(resolveConfig({ flags: { controlOrigins: '*' } }).controlOrigins, '*');
});

t.test('an empty environment variable counts as unset', async (t) => {
  t.same(settingsFromEnv({ PORT: '' }), {});
});
