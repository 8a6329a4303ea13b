import type { Answers } from '../src/answers/schema.js';

/** Largest request body Caddy passes to the gateway (HTTP uploads; WebSocket frames are not bodies). */
export const CADDY_MAX_BODY = '50MB';

const SAFE_TOKEN = /^[A-Za-z0-9._%+@-]+$/;

/**
 * /etc/caddy/Caddyfile for access.mode "caddy": HTTPS on the domain with an
 * automatic Let's Encrypt certificate (the email receives expiry notices), or
 * with `certificates: "internal"` one from Caddy's own local CA (private names),
 * proxied to the gateway's loopback port. Caddy overwrites X-Forwarded-For with
 * the real client address, which the gateway trusts from the compose gateway IP.
 * Headers: HSTS, no sniffing, no framing, no referrer, no Server banner, and
 * no powerful browser features except camera and microphone for the page itself
 * (the Control UI's composer and realtime Talk use them). Access logs go to stdout, i.e. the journal.
 */
export function renderCaddyfile(a: Answers): string {
  if (a.access.mode !== 'caddy') throw new Error(`renderCaddyfile needs access.mode "caddy", got "${a.access.mode}"`);
  const { domain, email } = a.access;
  for (const v of [domain, email]) if (!SAFE_TOKEN.test(v)) throw new Error(`unsafe Caddyfile token: "${v.slice(0, 60)}"`);
  return `# Written by claw-setup. Rerun claw-setup to change it.
# Check with: caddy validate --config /etc/caddy/Caddyfile --adapter caddyfile
${domain} {
	tls ${a.access.certificates === 'internal' ? 'internal' : email}

	encode zstd gzip

	header {
		Strict-Transport-Security "max-age=31536000; includeSubDomains"
		X-Content-Type-Options "nosniff"
		X-Frame-Options "DENY"
		Referrer-Policy "no-referrer"
		Permissions-Policy "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"
		-Server
	}

	request_body {
		max_size ${CADDY_MAX_BODY}
	}

	reverse_proxy 127.0.0.1:${a.openclaw.gatewayPort}

	log {
		output stdout
		format json
	}
}
`;
}
