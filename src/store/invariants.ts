import { BlockList, isIP } from 'node:net';
import type { FixtureFile } from '../schemas/fixture.js';

/** A broken rule in an account, located by a JSON path inside its file. */
export interface Issue {
  readonly path: string;
  readonly expected: string;
}

/** Turns ip_whitelist_rules values (addresses or CIDR blocks) into a matcher; throws on the first bad rule. */
export function compileIpRules(rules: Readonly<Record<string, string>>): BlockList {
  const list = new BlockList();
  for (const [name, rule] of Object.entries(rules)) {
    const [address = '', prefix, extra] = rule.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix) > bits) {
      throw new RangeError(name);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** The rules a schema cannot say: derived fields agree with their sources, ids agree, IP rules parse. */
export function accountIssues(account: FixtureFile['account']): Issue[] {
  const issues: Issue[] = [];
  const cps = account.base_cps_limit + account.purchased_cps;
  if (account.cps_limit !== undefined && account.cps_limit !== cps) {
    issues.push({ path: '$.account.cps_limit', expected: `${cps} (base_cps_limit + purchased_cps), got ${account.cps_limit}` });
  }
  const calls = account.base_concurrent_calls_limit + account.purchased_concurrent_calls;
  if (account.concurrent_calls_limit !== undefined && account.concurrent_calls_limit !== calls) {
    issues.push({
      path: '$.account.concurrent_calls_limit',
      expected: `${calls} (base_concurrent_calls_limit + purchased_concurrent_calls), got ${account.concurrent_calls_limit}`,
    });
  }
  if (account.pricing_tier_id !== account.pricing_tier.id) {
    issues.push({
      path: '$.account.pricing_tier_id',
      expected: `the same id as pricing_tier.id (${JSON.stringify(account.pricing_tier.id)}), got ${JSON.stringify(account.pricing_tier_id)}`,
    });
  }
  for (const [name, rule] of Object.entries(account.ip_whitelist_rules)) {
    try {
      compileIpRules({ [name]: rule });
    } catch {
      issues.push({
        path: `$.account.ip_whitelist_rules${pathKey(name)}`,
        expected: `an IPv4/IPv6 address or CIDR block (e.g. "203.0.113.0/24"), got ${JSON.stringify(rule)}`,
      });
    }
  }
  return issues;
}

/** `.name` or `["odd name"]`, for JSON paths. */
export function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
