import ipaddr from 'ipaddr.js';

/**
 * Which remote addresses outbound requests (webhooks, crawls, provider callbacks) may reach.
 * Only public unicast addresses; loopback too when explicitly allowed for development/tests.
 * Everything else — private, link-local (cloud metadata 169.254.169.254), CGNAT, multicast,
 * unspecified, reserved, 6to4/Teredo tunnels that can embed private IPv4 — is refused.
 */
export function isAddressAllowed(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ipaddr.process turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into plain IPv4.
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range === 'unicast') return true;
  return allowLoopback && range === 'loopback';
}

/** Parses a hostname that is an IP literal in any spelling the URL parser already normalised. */
export function ipLiteral(hostname: string): string | null {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(h) && (ipaddr.IPv4.isValidFourPartDecimal(h) || ipaddr.IPv6.isValid(h)) ? h : null;
}
