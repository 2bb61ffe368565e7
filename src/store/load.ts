import type { Config } from '../config.js';
import { type AccountSeed, type AccountStore, createMemoryStore } from './account-store.js';
import { builtInFixtures, FixtureError, loadFixtures } from './fixtures.js';
import { generateAccounts } from './generate.js';

/** The accounts a configuration describes: its fixture files, then its generated accounts. */
export async function loadSeeds(config: Pick<Config, 'fixtures' | 'generate' | 'seed'>): Promise<AccountSeed[]> {
  const seeds = [...loadFixtures(config.fixtures ?? builtInFixtures), ...(await generateAccounts(config.generate, config.seed))];
  const origins = new Map<string, string>();
  for (const seed of seeds) {
    const first = origins.get(seed.authId);
    if (first !== undefined) {
      throw new FixtureError([
        { file: seed.origin, path: '$.account.auth_id', expected: `an auth_id not used by another account, got ${JSON.stringify(seed.authId)} (also in ${first})` },
      ]);
    }
    origins.set(seed.authId, seed.origin);
  }
  return seeds;
}

export async function loadStore(config: Pick<Config, 'fixtures' | 'generate' | 'seed'>): Promise<AccountStore> {
  return createMemoryStore(await loadSeeds(config));
}
