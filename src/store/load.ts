import type { Config } from '../config.js';
import { type AccountSeed, type AccountStore, createMemoryStore } from './account-store.js';
import { CapacityPricing } from './capacity.js';
import { builtInFixtures, FixtureError, loadFixtureSet } from './fixtures.js';
import { generateAccounts } from './generate.js';

/** The accounts a configuration describes (its fixture files, then its generated accounts) and the capacity prices. */
export async function loadSeeds(
  config: Pick<Config, 'fixtures' | 'generate' | 'seed'>,
  onProgress?: (done: number, total: number) => void,
): Promise<{ seeds: AccountSeed[]; pricing: CapacityPricing }> {
  const set = loadFixtureSet(config.fixtures ?? builtInFixtures);
  const seeds = [...set.seeds, ...(await generateAccounts(config.generate, config.seed, onProgress))];
  // Seeds by auth id (their origins, which generated seeds write when asked, only for a message).
  const taken = new Map<string, AccountSeed>();
  for (const seed of seeds) {
    const first = taken.get(seed.authId);
    if (first !== undefined) {
      throw new FixtureError([
        { file: seed.origin, path: '$.account.auth_id', expected: `an auth_id not used by another account, got ${JSON.stringify(seed.authId)} (also in ${first.origin})` },
      ]);
    }
    taken.set(seed.authId, seed);
  }
  return { seeds, pricing: new CapacityPricing(set.pricing) };
}

export async function loadStore(config: Pick<Config, 'fixtures' | 'generate' | 'seed'>, onProgress?: (done: number, total: number) => void): Promise<AccountStore> {
  const { seeds, pricing } = await loadSeeds(config, onProgress);
  return createMemoryStore(seeds, pricing);
}
