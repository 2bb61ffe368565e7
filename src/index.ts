export { buildApp, type BuildOptions } from './app.js';
export { createEmulator, type Emulator, type EmulatorOptions } from './emulator.js';
export { type Config, ConfigError, ConfigSchema, resolveConfig } from './config.js';
export { ApiError, errorCatalogue } from './errors.js';
export { bearerToken } from './store/bearer.js';
export * from './schemas/index.js';
export { FixtureError, type FixtureIssue, loadFixtures } from './store/fixtures.js';
export { generatedCredentials } from './store/generate.js';
export { version } from './version.js';
