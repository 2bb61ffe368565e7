import { BlockList, isIP, isIPv4 } from 'node:net';

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

/** A matcher of client addresses (IPv4, IPv6, and IPv4 written as IPv6 by a dual-stack socket) for a set of rules. */
export function ipMatcher(rules: Readonly<Record<string, string>>): (ip: string) => boolean {
  const list = compileIpRules(rules);
  return (ip) => {
    const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return isIPv4(v4) ? list.check(v4, 'ipv4') : list.check(ip, 'ipv6');
  };
}
