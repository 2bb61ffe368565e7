import { closeSync, existsSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { packageRoot } from '../paths.js';
import { type CapacityPricingFile, CapacityPricingFileSchema, type FixtureFile, FixtureFileSchema, type PriceTable } from '../schemas/fixture.js';
import { expectation } from '../schemas/expectation.js';
import '../schemas/formats.js';
import { PricingTierSchema } from '../schemas/pricing-tier.js';
import type { AccountSeed } from './account-store.js';
import { accountIssues, describeValue, type Issue, stateIssues } from './invariants.js';
import { parseJson } from './json-syntax.js';
import { hasPlaces } from '../schemas/numbers.js';
import { seedFromFixture } from './seed-data.js';

export const builtInFixtures = fileURLToPath(new URL('fixtures/', packageRoot));

/** A fixture problem, located: the file, the JSON path inside it, and what was expected there. */
export interface FixtureIssue extends Issue {
  readonly file: string;
}

export class FixtureError extends Error {
  override name = 'FixtureError';
  readonly issues: readonly FixtureIssue[];

  constructor(issues: readonly FixtureIssue[]) {
    super(issues.map((i) => `${i.file}: ${i.path}: expected ${i.expected}`).join('\n'));
    this.issues = issues;
  }
}

const references = [PricingTierSchema];

function jsonPath(pointer: string): string {
  return `$${pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
    .join('')}`;
}

/** Schema errors of one parsed file, one per JSON path, phrased as "expected X, got Y". */
function schemaIssues(schema: TSchema, value: unknown): Issue[] {
  const seen = new Map<string, Issue>();
  for (const error of Value.Errors(schema, references, value)) {
    const path = jsonPath(error.path);
    if (seen.has(path)) continue;
    let expected: string;
    if (error.type === ValueErrorType.ObjectRequiredProperty) {
      expected = `${expectation(error.schema)} (required property is missing)`;
    } else if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      expected = `no property here: ${path.split(/[.[]/).pop()?.replace(/[\]"]/g, '')} is not a field of this object`;
    } else {
      // Never for a credential's field (auth_secret's literal is "<redacted>": what is there instead is the secret).
      const words = !/secret|token/i.test(path) && ('const' in error.schema || Array.isArray(error.schema.enum) || (Array.isArray(error.schema.anyOf) && (error.schema.anyOf as TSchema[]).every((m) => 'const' in m || m.type === 'null')));
      expected = `${expectation(error.schema)}, got ${describeValue(error.value, { revealWords: words })}`;
    }
    seen.set(path, { path, expected });
  }
  return [...seen.values()];
}

function parseJsonFile(text: string): { value?: unknown; issue?: Issue } {
  const parsed = parseJson(text);
  return 'problem' in parsed ? { issue: { path: '$', expected: parsed.problem } } : { value: parsed.value };
}

/** Checks one fixture file's text; returns its issues, or the parsed file when there are none. */
export function checkFixture(text: string): { fixture?: FixtureFile; issues: Issue[] } {
  const { value, issue } = parseJsonFile(text);
  if (issue) return { issues: [issue] };
  const pasted = pastedAccount(value);
  if (pasted) return { issues: [pasted] };
  // The quick check first; the error walk only for a file that fails it.
  const issues = Value.Check(FixtureFileSchema, references, value) ? [] : schemaIssues(FixtureFileSchema, value);
  const fixture = value as FixtureFile;
  let invariants: Issue[] = [];
  try {
    invariants = [...accountIssues(fixture.account), ...(issues.length === 0 ? stateIssues(fixture) : [])];
  } catch {
    // A file too far from the schema for its rules to be read: its schema errors say what is wrong.
  }
  // Every problem at once: the schema's, then the rules' on the fields the schema did not already fault.
  const reported = new Set(issues.map((i) => i.path));
  const all = [...issues, ...invariants.filter((i) => !reported.has(i.path))];
  return all.length > 0 ? { issues: all } : { fixture, issues: [] };
}

/** A raw GET /api/v1/auth/me body pasted as a fixture: one hint instead of a problem a field. */
function pastedAccount(value: unknown): Issue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (v['type'] !== 'account' || typeof v['auth_id'] !== 'string' || 'account' in v) return undefined;
  return {
    path: '$',
    expected: `{"auth_token": "...", "account": {...}}: this is a bare Account object (a GET /api/v1/auth/me response); wrap it as {"auth_token": "<the account's X-Auth-Token>", "account": <this object>}`,
  };
}

/** The rules of a capacity price table that its schema cannot say. */
function pricingIssues(file: CapacityPricingFile): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  file.tiers.forEach((tier, i) => {
    if (seen.has(tier.pricing_tier_id)) issues.push({ path: `$.tiers[${i}].pricing_tier_id`, expected: 'a pricing tier no earlier table has, got one that an earlier table has' });
    seen.add(tier.pricing_tier_id);
    for (const resource of ['concurrent_calls', 'cps'] as const) {
      const rules = tier[resource];
      const at = `$.tiers[${i}].${resource}`;
      if (rules.minimum > rules.maximum) issues.push({ path: `${at}.minimum`, expected: `at most maximum (${rules.maximum}), got ${rules.minimum}` });
      let previous = 0;
      rules.brackets.forEach((bracket, j) => {
        const last = j === rules.brackets.length - 1;
        if (!hasPlaces(bracket.unit_price, 2)) issues.push({ path: `${at}.brackets[${j}].unit_price`, expected: `a price with at most 2 decimal places, got ${bracket.unit_price}` });
        if (last && bracket.up_to !== null) issues.push({ path: `${at}.brackets[${j}].up_to`, expected: `null in the last bracket (it prices every unit above the one before), got ${bracket.up_to}` });
        if (!last && (bracket.up_to === null || bracket.up_to <= previous)) {
          issues.push({ path: `${at}.brackets[${j}].up_to`, expected: `an integer above ${previous} (brackets in ascending order; only the last is null), got ${bracket.up_to}` });
        }
        previous = bracket.up_to ?? previous;
      });
    }
  });
  return issues;
}

/** Checks a capacity price table file's text; returns its issues, or the parsed tables when there are none. */
export function checkCapacityPricing(text: string): { tables?: PriceTable[]; issues: Issue[] } {
  const { value, issue } = parseJsonFile(text);
  if (issue) return { issues: [issue] };
  const issues = Value.Check(CapacityPricingFileSchema, value) ? [] : schemaIssues(CapacityPricingFileSchema, value);
  if (issues.length > 0) return { issues };
  const file = value as CapacityPricingFile;
  const invariants = pricingIssues(file);
  return invariants.length > 0 ? { issues: invariants } : { tables: file.tiers, issues: [] };
}

/** The package's own price tables (checked by its tests). */
function trustedPricing(text: string): { tables: PriceTable[]; issues: Issue[] } {
  return { tables: (JSON.parse(text) as CapacityPricingFile).tiers, issues: [] };
}

/** The largest fixture file read (a 10,000-entry ledger written out is about 4 MB; generate_transactions makes more). */
export const MAX_FIXTURE_BYTES = 16 * 1024 * 1024;

/**
 * A fixture file's text, or what is wrong with the file itself. Only regular files inside the directory are
 * read: a symbolic link may point to another file of the directory, never out of it (a link to ~/.ssh/...
 * would otherwise have its first bytes quoted in an error message), and a file over MAX_FIXTURE_BYTES is
 * refused unread.
 */
function readFixture(dir: string, name: string): { text: string } | { problem: string } {
  let realDir: string;
  let real: string;
  try {
    realDir = realpathSync(dir);
    real = realpathSync(join(dir, name));
  } catch (error) {
    return { problem: `a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  const inside = relative(realDir, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { problem: 'a file inside the fixtures directory, found a symbolic link to a path outside it (not followed)' };
  }
  let fd: number | undefined;
  try {
    fd = openSync(real, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: 'a regular file, found something else (a directory, a device or a pipe)' };
    if (stat.size > MAX_FIXTURE_BYTES) return { problem: `a file of at most ${MAX_FIXTURE_BYTES / 1024 / 1024} MB, found ${stat.size} bytes (not read)` };
    return { text: readFileSync(fd, 'utf8') };
  } catch (error) {
    return { problem: `a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file of a fixtures directory that holds capacity price tables rather than an account. */
export const capacityPricingFile = 'capacity-pricing.json';

function seedFrom(fixture: FixtureFile, origin: string): AccountSeed {
  const data = seedFromFixture(fixture);
  return { authId: data.account.auth_id, token: fixture.auth_token, origin, hasSubscriptions: data.subscriptions.length > 0, data: () => data };
}

/** Loads every account file of a directory, in name order. Throws a FixtureError naming every problem found. */
export function loadFixtures(dir: string): AccountSeed[] {
  return loadFixtureSet(dir).seeds;
}

/**
 * Loads a fixtures directory: every *.json file is an account, except capacity-pricing.json (the capacity price
 * tables; the built-in ones when the directory has none). Throws a FixtureError naming every problem found.
 */
export function loadFixtureSet(dir: string): { seeds: AccountSeed[]; pricing: PriceTable[] } {
  // The package's own files are checked by its tests (test/fixtures.test.ts), not again at every start: the
  // schema walk and the rules cost about a tenth of the start-up.
  const trusted = dir === builtInFixtures;
  const display = (file: string) => {
    const rel = relative(process.cwd(), file);
    return rel.startsWith('..') || rel === '' ? file : rel;
  };
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).filter((name) => name.endsWith('.json') && name !== capacityPricingFile).sort();
  } catch (error) {
    throw new FixtureError([{ file: display(dir), path: '$', expected: `a readable directory of *.json fixture files (${(error as Error).message})` }]);
  }
  const issues: FixtureIssue[] = [];
  if (names.length === 0) {
    throw new FixtureError([{ file: display(dir), path: '$', expected: 'at least one account fixture (*.json) in the directory, found none' }]);
  }
  const seeds: AccountSeed[] = [];
  const tiers = new Map<string, { currency: string; file: string }>();
  // lstat, not exists: a dangling link is the directory's own (broken) file, not a reason to use the built-in one.
  const ownPricing = lstatSync(join(dir, capacityPricingFile), { throwIfNoEntry: false }) !== undefined;
  const pricingPath = ownPricing ? join(dir, capacityPricingFile) : join(builtInFixtures, capacityPricingFile);
  let pricing: PriceTable[] = [];
  if (ownPricing || existsSync(pricingPath)) {
    const file = display(pricingPath);
    const read = ownPricing ? readFixture(dir, capacityPricingFile) : { text: readFileSync(pricingPath, 'utf8') };
    if ('problem' in read) issues.push({ file, path: '$', expected: read.problem });
    const checked = 'text' in read ? (ownPricing ? checkCapacityPricing(read.text) : trustedPricing(read.text)) : { issues: [] };
    issues.push(...checked.issues.map((issue) => ({ file, ...issue })));
    pricing = checked.tables ?? [];
    for (const table of pricing) tiers.set(table.pricing_tier_id, { currency: table.currency, file });
  }
  for (const name of names) {
    const file = display(join(dir, name));
    const read = readFixture(dir, name);
    if ('problem' in read) {
      issues.push({ file, path: '$', expected: read.problem });
      continue;
    }
    const text = read.text;
    const checked = trusted ? { fixture: JSON.parse(text) as FixtureFile, issues: [] } : checkFixture(text);
    issues.push(...checked.issues.map((issue) => ({ file, ...issue })));
    if (!checked.fixture) continue;
    const tier = checked.fixture.account.pricing_tier;
    const table = tiers.get(tier.id);
    if (table && table.currency !== tier.currency) {
      issues.push({ file, path: '$.account.pricing_tier.currency', expected: `${JSON.stringify(table.currency)}, the currency of this tier's capacity price table in ${table.file}, got ${describeValue(tier.currency)}` });
      continue;
    }
    seeds.push(seedFrom(checked.fixture, file));
  }
  if (issues.length > 0) throw new FixtureError(issues);
  return { seeds, pricing };
}
