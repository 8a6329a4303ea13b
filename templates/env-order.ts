/**
 * The order of the variables in the deployment's `.env`. Compose's dotenv parser gives the
 * order no meaning (each name appears once), yet the file is compared byte for byte: a rerun
 * whose .env differs only in line order rewrote it and recreated the gateway, cutting every
 * open conversation (add-channel appends its line after `TZ=UTC`, a first run puts channels
 * before it). So the server's order wins: a name the server's .env already has keeps its
 * place, whoever put it there (add-channel, rotate, an older claw-setup, a hand edit). A name
 * the server lacks goes right after the nearest name before it in `canonical` (the order a
 * first run writes), or first when none of those is on the server.
 */
export function envOrder(canonical: readonly string[], serverOrder: readonly string[] = []): string[] {
  const wanted = new Set(canonical);
  const out = [...new Set(serverOrder)].filter((n) => wanted.has(n));
  canonical.forEach((name, i) => {
    if (out.includes(name)) return;
    const before = canonical
      .slice(0, i)
      .reverse()
      .find((n) => out.includes(n));
    out.splice(before === undefined ? 0 : out.indexOf(before) + 1, 0, name);
  });
  return out;
}
