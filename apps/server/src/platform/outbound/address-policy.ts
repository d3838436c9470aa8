import ipaddr from 'ipaddr.js';

const cidr = (text: string): [ipaddr.IPv6, number] => ipaddr.IPv6.parseCIDR(text);

/** IPv6 global unicast (RFC 4291 §2.4): everything outside it is special-purpose or unassigned. */
const GLOBAL_UNICAST = cidr('2000::/3');

/**
 * IPv6 ranges that carry an IPv4 address (or reach IPv4 through a translator or tunnel). They
 * are refused as a whole, whatever IPv4 address they hold — our own list, so the refusal does
 * not depend on how ipaddr.js classifies them:
 *
 *  ::/96            IPv4-compatible (deprecated, RFC 4291 §2.5.5.1): [::127.0.0.1] is [::7f00:1]
 *  ::ffff:0:0/96    IPv4-mapped (plain IPv4 after ipaddr.process; refused here if it ever is not)
 *  ::ffff:0:0:0/96  IPv4-translated (SIIT, RFC 6145)
 *  64:ff9b::/96     NAT64 well-known prefix (RFC 6052)
 *  64:ff9b:1::/48   NAT64 local-use prefix (RFC 8215)
 *  2002::/16        6to4 (RFC 3056)
 *  2001::/32        Teredo (RFC 4380)
 */
const EMBEDDED_IPV4 = ['::/96', '::ffff:0:0/96', '::ffff:0:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '2002::/16', '2001::/32'].map(cidr);

/**
 * Which remote addresses outbound requests (webhooks, crawls, provider callbacks) may reach.
 * Only public unicast addresses; loopback too when explicitly allowed for development/tests.
 * Everything else is refused: private, link-local (cloud metadata 169.254.169.254), CGNAT,
 * multicast, unspecified (0.0.0.0/8, ::), reserved, IPv6 outside global unicast 2000::/3, and
 * every IPv6 range that embeds or translates to IPv4 (EMBEDDED_IPV4) — those could name a
 * private or loopback IPv4 address in another spelling.
 */
export function isAddressAllowed(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ipaddr.process turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into plain IPv4.
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range === 'loopback') return allowLoopback;
  if (range !== 'unicast') return false;
  if (ip.kind() === 'ipv4') return true;
  const v6 = ip as ipaddr.IPv6;
  return v6.match(GLOBAL_UNICAST) && !EMBEDDED_IPV4.some((r) => v6.match(r));
}

/** Parses a hostname that is an IP literal in any spelling the URL parser already normalised. */
export function ipLiteral(hostname: string): string | null {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(h) && (ipaddr.IPv4.isValidFourPartDecimal(h) || ipaddr.IPv6.isValid(h)) ? h : null;
}
