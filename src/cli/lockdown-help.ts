/** lockdown's and unlock's own help page: its own file so that the help table (help.ts) holds it without loading the command. */
export const LOCKDOWN_HELP = `claw-setup lockdown | unlock — the emergency brake (the agent went hostile, or a token leaked).

Usage:
  claw-setup lockdown [--yes] [--dry-run] [--answers FILE] [--host H] [--port P] [--user U] [--identity KEY]
  claw-setup unlock   [--yes] [--dry-run] [same target flags]

lockdown, in one command:
  1. a dated root-only snapshot of openclaw.json, .env and the exposure config
     (/var/lib/claw-setup/backups/<time>-lockdown, found again by unlock)
  2. the public exposure closed: Caddy stopped and its firewall rules removed (access.mode "caddy"),
     or \`tailscale serve reset\` ("tailscale-serve")
  3. one guarded switch: every DM and group on every channel closed (dmPolicy/groupPolicy "disabled",
     the channel disabled), exec and every risky tool denied, the terminal, hooks and automations off,
     a new gateway token made on the server; the gateway recreated and proven: healthy, the new token
     accepted, the old one refused, nothing but loopback on the gateway ports, 80 and 443
  4. the audit, printed
  It fails closed: if the switch fails, the previous files come back but the gateway stays STOPPED.
  A second lockdown keeps the first snapshot, applies the closure again and rotates the token again.

unlock: the snapshot's openclaw.json and exposure back (validated, guarded, every channel probed),
  but NOT the old gateway token: it may be what leaked. Clients need the new one. A failed unlock
  stays locked. Refused when the deployment is not locked down.

--dry-run prints the plan and the config diff and changes nothing, read-only from the server;
lockdown with no server answering (or no address): the plan for a deployment made from your
answers, said in one line on stderr. unlock --dry-run needs the server: the snapshot is there.
Exit codes: 0 done, 1 bad input / unreachable / not locked, 2 failed (lockdown: gateway stopped;
unlock: still locked), 130 cancelled.`;
