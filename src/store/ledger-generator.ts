import { createRequire } from 'node:module';
import type * as FakerPackage from '@faker-js/faker';
import type { Faker } from '@faker-js/faker';
import type { TransactionStatus } from '../schemas/transaction.js';
import { type EntryInput, isCreditType } from './ledger.js';
import { MICROS } from './money.js';
import { flat } from './flat.js';
import { zMicros } from './time.js';

type FakerModule = typeof FakerPackage;
let fakerModule: FakerModule | undefined;

/**
 * A faker instance seeded with `seed`. Faker is loaded on first use and synchronously: ledgers are made when
 * a request first reads them, and most runs never make one.
 */
export function seededFaker(seed: number[]): Faker {
  fakerModule ??= createRequire(import.meta.url)('@faker-js/faker') as FakerModule;
  const faker = new fakerModule.Faker({ locale: [fakerModule.en_IN, fakerModule.en, fakerModule.base] });
  faker.seed(seed);
  return faker;
}

export interface LedgerPlan {
  readonly count: number;
  readonly currency: string;
  readonly ratePerMinute: number;
  readonly billingIncrementSeconds: number;
  readonly minimumDurationSeconds: number;
  readonly postpaid: boolean;
  /** Epoch microseconds: the first and the last possible entry. */
  readonly from: number;
  readonly until: number;
}

/**
 * The documented charge rule: the billable duration is the call's, at least minimum_duration_seconds, rounded
 * up to a multiple of billing_increment_seconds; the charge is billable minutes times rate_per_minute.
 */
export function callCharge(durationSeconds: number, plan: Pick<LedgerPlan, 'ratePerMinute' | 'billingIncrementSeconds' | 'minimumDurationSeconds'>): number {
  const billable = Math.ceil(Math.max(durationSeconds, plan.minimumDurationSeconds) / plan.billingIncrementSeconds) * plan.billingIncrementSeconds;
  return Math.round((billable * plan.ratePerMinute * MICROS) / 60);
}

const kinds = [
  { weight: 80, value: 'cdr' },
  { weight: 8, value: 'stream_cdr' },
  { weight: 6, value: 'recording' },
  { weight: 1, value: 'did_rental' },
  { weight: 1, value: 'refund' },
  { weight: 1, value: 'manual_adjustment' },
] as const;

/**
 * A plausible ledger, the same for the same seed: an opening payment, then calls, streams and recordings
 * charged by the tier's rate, monthly number rentals (a legacy `did_rental` type), top-ups whenever a prepaid
 * balance runs low (some failed or pending), refunds and adjustments. Credits are whole units.
 */
export function generateLedger(faker: Faker, plan: LedgerPlan): EntryInput[] {
  const usd = plan.currency !== 'INR';
  const unit = usd ? 1 : 100;
  const times: number[] = [];
  for (let i = 0; i < plan.count; i++) times.push(faker.number.int({ min: plan.from, max: plan.until }));
  times.sort((a, b) => a - b);
  const entries: EntryInput[] = [];
  let balance = 0;
  const threshold = (usd ? 20 : 1500) * MICROS;
  const phone = () => (usd ? `+1${faker.string.numeric(10)}` : `+91${faker.helpers.arrayElement(['7', '8', '9'])}${faker.string.numeric(9)}`);
  const add = (at: number, type: string, amount: number, description: string, reference: string, referenceType: string, status: TransactionStatus = 'completed') => {
    const stamp = flat(zMicros(at));
    entries.push({ id: flat(faker.string.uuid()), type, amount, currency: plan.currency, description: flat(description), reference: flat(reference), referenceType, status, at, createdAt: stamp, processedAt: stamp, updatedAt: stamp });
    if (status === 'completed') balance += isCreditType(type) ? amount : -amount;
  };
  const payment = (at: number, whole: number) => {
    const status = faker.helpers.weightedArrayElement<TransactionStatus>([
      { weight: 95, value: 'completed' },
      { weight: 4, value: 'failed' },
      { weight: 1, value: 'pending' },
    ]);
    add(at, 'credit', whole * MICROS, 'Payment via Razorpay', `pay_${faker.string.alphanumeric({ length: 14, casing: 'mixed' })}`, 'payment', status);
  };
  for (const [i, at] of times.entries()) {
    if (i === 0) {
      payment(at, unit * faker.number.int({ min: plan.postpaid ? 50 : 10, max: plan.postpaid ? 500 : 200 }));
      continue;
    }
    const kind = faker.helpers.weightedArrayElement(kinds);
    // Prepaid accounts top up when they run low; postpaid ones settle when they go below the threshold.
    if (balance < threshold && kind !== 'refund') {
      payment(at, unit * faker.number.int({ min: 10, max: plan.postpaid ? 100 : 50 }));
    } else if (kind === 'cdr') {
      const seconds = faker.number.int({ min: 1, max: 900 });
      add(at, 'debit', callCharge(seconds, plan), `Call to ${phone()} (${seconds}s)`, `cdr:${faker.string.uuid()}`, 'cdr');
    } else if (kind === 'stream_cdr') {
      const seconds = faker.number.int({ min: 5, max: 600 });
      add(at, 'debit', callCharge(seconds, plan), `Stream session (${seconds}s)`, `cdr:${faker.string.uuid()}`, 'stream_cdr');
    } else if (kind === 'recording') {
      const seconds = faker.number.int({ min: 5, max: 900 });
      add(at, 'debit', callCharge(seconds, { ratePerMinute: usd ? 0.002 : 0.2, billingIncrementSeconds: 60, minimumDurationSeconds: 0 }), `Call recording (${seconds}s)`, `rec:${faker.string.uuid()}`, 'recording');
    } else if (kind === 'did_rental') {
      const number = phone();
      add(at, 'did_rental', (usd ? 2 : 500) * MICROS, `DID rental ${number}`, `did:${number}`, 'did_rental');
    } else if (kind === 'refund') {
      add(at, 'credit', faker.number.int({ min: 1, max: usd ? 5 : 50 }) * MICROS, 'Refund: dropped call', `cdr:${faker.string.uuid()}`, 'refund');
    } else {
      add(at, 'credit', faker.number.int({ min: 1, max: usd ? 10 : 100 }) * MICROS, 'Goodwill credit', `adj:${faker.string.alphanumeric({ length: 10, casing: 'lower' })}`, 'manual_adjustment');
    }
  }
  return entries;
}
