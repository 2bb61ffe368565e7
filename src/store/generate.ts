import { createHash } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { AccountData } from '../schemas/account.js';
import type { PricingTier } from '../schemas/pricing-tier.js';
import type { SeedData } from './account-state.js';
import type { AccountSeed } from './account-store.js';
import { flat } from './flat.js';
import { generateLedger } from './ledger-generator.js';
import { LEDGER_UNTIL } from './seed-data.js';
import { parseMicros, zMicros } from './time.js';

const ID_SPACE = 36 ** 8;
// Prime, so coprime with 36^8: i -> (i * STRIDE + offset) mod 36^8 is one-to-one and auth ids never collide.
const STRIDE = 1_000_000_007;

const tiers: readonly PricingTier[] = [
  { id: '11223344-5566-7788-99aa-bbccddeeff00', name: 'Standard', description: 'Pay per minute, billed by the minute', currency: 'INR', rate_per_minute: 0.45, billing_increment_seconds: 60, minimum_duration_seconds: 0, is_active: true, is_default: true },
  { id: '7c1e2a64-0b5d-4f8e-9a3c-2d6b8e4f1a90', name: 'Business', description: 'Per-second billing in 15 s increments', currency: 'INR', rate_per_minute: 1.2, billing_increment_seconds: 15, minimum_duration_seconds: 15, is_active: true, is_default: false },
  { id: 'c4d9f3b2-6a1e-4c7d-8b5f-0e2a9d3c7b61', name: 'Global', description: 'USD rates for international traffic', currency: 'USD', rate_per_minute: 0.012, billing_increment_seconds: 6, minimum_duration_seconds: 6, is_active: true, is_default: false },
];

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** Where a seed's auth ids start in the id space (the last seed's, kept: a start-up asks for one seed's). */
let offsetOf = { seed: Number.NaN, offset: 0 };
function idOffset(seed: number): number {
  if (offsetOf.seed !== seed) offsetOf = { seed, offset: sha256(`vobiz-mock:auth-id:${seed}`).readUIntBE(0, 6) % ID_SPACE };
  return offsetOf.offset;
}

/** The auth id of generated account `index`: arithmetic alone, so a hundred thousand cost a few milliseconds. */
function generatedAuthId(seed: number, index: number): string {
  return `MA_${((index * STRIDE + idOffset(seed)) % ID_SPACE).toString(36).toUpperCase().padStart(8, '0')}`;
}

/** The token of generated account `index`: 32 hex digits of a hash (made when first needed). */
function generatedToken(seed: number, index: number): string {
  return sha256(`vobiz-mock:auth-token:${seed}:${index}`).toString('hex', 0, 16);
}

/** Credentials of generated account `index`: derived by hashing, so N accounts cost no faker time at start-up. */
export function generatedCredentials(seed: number, index: number): { authId: string; token: string } {
  return { authId: generatedAuthId(seed, index), token: generatedToken(seed, index) };
}

/** `2026-01-19T18:39:14.529435+00:00`, the account object's timestamp style. */
function timestamp(faker: Faker, date: Date): string {
  return `${date.toISOString().slice(0, -1)}${faker.string.numeric(3)}+00:00`;
}

function makeAccount(faker: Faker, seed: number, index: number, authId: string): AccountData {
  faker.seed([seed, index]);
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const company = faker.company.name();
  const postpaid = faker.datatype.boolean(0.3);
  const trial = !postpaid && faker.datatype.boolean(0.1);
  const tier = faker.helpers.arrayElement(tiers);
  const created = faker.date.between({ from: '2024-01-01T00:00:00Z', to: '2026-06-30T00:00:00Z' });
  const updated = faker.date.between({ from: created, to: '2026-11-01T00:00:00Z' });
  const lastLogin = faker.date.between({ from: updated, to: '2026-11-01T00:00:00Z' });
  return {
    type: 'account',
    id: String(1_000_000 + index),
    api_id: faker.string.uuid(),
    name: `${firstName} ${lastName}`,
    email: faker.internet.email({ firstName, lastName, provider: 'example.com' }).toLowerCase(),
    phone: `+91${faker.helpers.arrayElement(['6', '7', '8', '9'])}${faker.string.numeric(9)}`,
    description: faker.helpers.arrayElement(['', `${company} voice account`]),
    auth_id: authId,
    auth_token_expire_time: null,
    country: 'IN',
    timezone: 'Asia/Kolkata',
    city: faker.location.city(),
    state: faker.location.state({ abbreviated: true }),
    address: faker.location.streetAddress(),
    zip_code: faker.string.numeric({ length: 6, exclude: ['0'] }),
    company,
    account_type: 'standard',
    postpaid,
    auto_recharge: !postpaid && faker.datatype.boolean(),
    auto_recharge_config: null,
    enabled: true,
    carrier_type: null,
    customer_type: null,
    credit_limit: postpaid ? faker.helpers.arrayElement([500, 1000, 5000, 10000]) : 0,
    base_cps_limit: trial ? 1 : faker.number.int({ min: 1, max: 50 }),
    base_concurrent_calls_limit: trial ? 2 : faker.number.int({ min: 2, max: 100 }),
    purchased_cps: trial ? 0 : 3 * faker.number.int({ min: 0, max: 5 }),
    purchased_concurrent_calls: trial ? 0 : 10 * faker.number.int({ min: 0, max: 5 }),
    risk_rating: faker.helpers.weightedArrayElement([{ weight: 8, value: 0 }, { weight: 2, value: faker.number.int({ min: 1, max: 5 }) }]),
    risk_status: null,
    features: { call_queue: faker.datatype.boolean(0.8) },
    ip_auth_enabled: false,
    ip_whitelist_rules: {},
    allow_aws_ips: false,
    role: faker.helpers.arrayElement(['admin', 'user']),
    is_active: true,
    is_verified: !trial && faker.datatype.boolean(0.8),
    is_trial_account: trial,
    created_at: timestamp(faker, created),
    updated_at: timestamp(faker, updated),
    last_login: timestamp(faker, lastLogin),
    pricing_tier_id: tier.id,
    pricing_tier: { ...tier },
  };
}

/** The account with every top-level string laid out flat (see flat()). */
function flatStrings(account: AccountData): AccountData {
  const copy: Record<string, unknown> = { ...account };
  for (const [key, value] of Object.entries(copy)) if (typeof value === 'string') copy[key] = flat(value);
  return copy as unknown as AccountData;
}

/**
 * The rest of a generated account's state, made by faker seeded with [seed, index, n] so that it never
 * shifts the account itself: one balance in the tier's currency, a few live calls, and a ledger of 4 to 16
 * entries made only when something reads it.
 */
function makeSeedData(faker: Faker, seed: number, index: number, account: AccountData): SeedData {
  faker.seed([seed, index, 1]);
  const tier = account.pricing_tier;
  const created = parseMicros(account.created_at);
  const limit = account.base_concurrent_calls_limit + account.purchased_concurrent_calls;
  const balance = {
    id: faker.string.uuid(),
    currency: tier.currency,
    reservedFunds: 0,
    promotionalBalance: 0,
    promotionalReservedBalance: 0,
    creditLimitType: account.postpaid && faker.datatype.boolean(0.3) ? ('hard' as const) : ('soft' as const),
    lowBalanceThreshold: tier.currency === 'INR' ? 50 : 5,
    status: 'active',
    createdAt: zMicros(created),
    updatedAt: zMicros(created),
    updatedAtMicros: created,
  };
  const liveCalls = faker.number.int({ min: 0, max: Math.min(3, limit) });
  const count = faker.number.int({ min: 4, max: 16 });
  const transactions = () => {
    faker.seed([seed, index, 2]);
    return generateLedger(faker, {
      count,
      currency: tier.currency,
      ratePerMinute: tier.rate_per_minute,
      billingIncrementSeconds: tier.billing_increment_seconds,
      minimumDurationSeconds: tier.minimum_duration_seconds,
      postpaid: account.postpaid,
      from: created,
      until: parseMicros(LEDGER_UNTIL),
    });
  };
  return { account, balances: [balance], transactions, subscriptions: [], liveCalls };
}

/**
 * A generated account's seed: its auth id at once, everything else when first asked for (its token when it
 * is first compared, its account and state when first read), so that a hundred thousand of them hold an id
 * and an index each.
 */
class GeneratedSeed implements AccountSeed {
  readonly authId: string;
  readonly #index: number;
  readonly #maker: { readonly seed: number; readonly faker: Faker };
  #token: string | undefined;

  constructor(maker: { readonly seed: number; readonly faker: Faker }, index: number) {
    this.#maker = maker;
    this.#index = index;
    this.authId = generatedAuthId(maker.seed, index);
  }

  get token(): string {
    return (this.#token ??= generatedToken(this.#maker.seed, this.#index));
  }

  get origin(): string {
    return `generated #${this.#index} (seed ${this.#maker.seed})`;
  }

  account(): AccountData {
    return makeAccount(this.#maker.faker, this.#maker.seed, this.#index, this.authId);
  }

  // Flattened only when it is kept (see flat()): a listing reads the account alone, once.
  data(): SeedData {
    return makeSeedData(this.#maker.faker, this.#maker.seed, this.#index, flatStrings(this.account()));
  }
}

/**
 * A maker of generated accounts for a seed: account `index` is made by a faker instance seeded with
 * [seed, index], so it is the same whatever the count, and its contents are made on first use: making a seed
 * only derives the auth id.
 */
export async function generatedAccountMaker(seed: number): Promise<(index: number) => AccountSeed> {
  const { Faker, en_IN, en, base } = await import('@faker-js/faker');
  const maker = { seed, faker: new Faker({ locale: [en_IN, en, base] }) };
  return (index) => new GeneratedSeed(maker, index);
}

/** `count` generated accounts (see generatedAccountMaker); `onProgress` hears of every 10,000 made. */
export async function generateAccounts(count: number, seed: number, onProgress?: (done: number, total: number) => void): Promise<AccountSeed[]> {
  if (count === 0) return [];
  const make = await generatedAccountMaker(seed);
  const seeds: AccountSeed[] = [];
  for (let index = 0; index < count; index++) {
    seeds.push(make(index));
    if (onProgress && (index + 1) % 10_000 === 0) onProgress(index + 1, count);
  }
  if (onProgress && count % 10_000 !== 0) onProgress(count, count);
  return seeds;
}
