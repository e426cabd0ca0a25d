// What counts as a loopback host: config (is this broker URL a local server?) and http (may the
// API bind here without a token?) both ask, so it lives below both.

/**
 * True when `host` only accepts connections from this machine: localhost, 127.0.0.0/8, ::1
 * (bracketed or not) and IPv4-mapped ::ffff:127.x. 0.0.0.0 and :: bind every interface, so
 * they are NOT loopback. Used by `run`: off loopback without CONTROL_TOKEN, refuse to start.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h === "localhost.") return true;
  if (isIpv4Loopback(h)) return true;
  const mapped = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return isIpv4Loopback(mapped[1]!);
  return isIpv6Loopback(h);
}

function isIpv4Loopback(h: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return false;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) && octets[0] === 127;
}

/** ::1 in any spelling (0:0:0:0:0:0:0:1, ::0:1, ...). */
function isIpv6Loopback(h: string): boolean {
  if (!/^[0-9a-f:]+$/.test(h) || !h.includes(":")) return false;
  const parts = h.split("::");
  if (parts.length > 2) return false;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(parts[0]!);
  const tail = parts.length === 2 ? groups(parts[1]!) : [];
  if ([...head, ...tail].some((g) => g.length === 0 || g.length > 4)) return false;
  const missing = 8 - head.length - tail.length;
  if (parts.length === 1 ? missing !== 0 : missing < 1) return false;
  const all = [...head, ...Array<string>(parts.length === 2 ? missing : 0).fill("0"), ...tail].map((g) => parseInt(g, 16));
  return all.slice(0, 7).every((n) => n === 0) && all[7] === 1;
}
