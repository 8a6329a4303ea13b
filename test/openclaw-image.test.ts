import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { composeConfig } from '../templates/compose.js';
import { CONTAINER_GATEWAY_PORT, CONTAINER_UID } from '../templates/gateway-shared.js';
import { VARIANTS, loadAnswers } from './template-variants.js';
import { needTool, run } from './tool-runner.js';

// scripts/build-openclaw-image.sh builds the offline stand-in for the official
// OpenClaw image (docs/openclaw-stand-in.md). Building it needs root, the
// Debian mirror and npm, so the e2e tests do that; these checks only keep its
// contract and our compose file in step, without building anything.

const SCRIPT = fileURLToPath(new URL('../scripts/build-openclaw-image.sh', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/openclaw-stand-in.md', import.meta.url));
const script = (args: string[], env: Record<string, string> = {}) => run('bash', [SCRIPT, ...args], { env: { ...process.env, ...env } });

interface Service {
  image: string;
  command: string[];
  environment: Record<string, string>;
  user: string;
  tmpfs: string[];
  init: boolean;
  healthcheck?: { test: string[] };
}
const gatewayService = (variant: (typeof VARIANTS)[number]) =>
  (composeConfig(loadAnswers(variant)) as { services: Record<string, Service> }).services['openclaw-gateway'];

describe('build-openclaw-image.sh', () => {
  const changes = () => {
    const r = script(['--print-changes']);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trimEnd().split('\n');
  };

  it('prints the docker import --change lines of the official image', () => {
    expect(changes()).toEqual([
      'USER node',
      'WORKDIR /app',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ENV HOME=/home/node',
      'ENV NODE_ENV=production',
      'ENV NODE_VERSION=24.21.0',
      'ENTRYPOINT ["tini", "-s", "--"]',
      'CMD ["node", "openclaw.mjs", "gateway"]',
    ]);
    // Every line is one instruction docker import accepts (HEALTHCHECK is not among them).
    for (const l of changes()) expect(l).toMatch(/^(CMD|ENTRYPOINT|ENV|EXPOSE|ONBUILD|USER|VOLUME|WORKDIR) \S/);
  });

  it('builds the version the answers pin by default, cached under TH_CACHE', () => {
    const pinned = answersSchema.shape.openclaw.parse({}).version;
    const r = script(['--print-dir'], { TH_CACHE: '/tmp/claw-cache-x' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`/tmp/claw-cache-x/openclaw-image-${pinned}\n`);
    expect(script(['--print-dir', '2026.10.1'], { TH_CACHE: '' }).stdout).toBe('/var/cache/claw-setup-testhost/openclaw-image-2026.10.1\n');
  });

  it('rejects malformed versions and options before doing anything', () => {
    for (const args of [['latest'], ['2026.9.6;rm -rf /'], ['--frobnicate'], ['2026.9.6', '2026.9.7']]) {
      const r = script(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stdout).toBe('');
    }
    expect(script(['--print-dir'], { CLAW_NODE24_VERSION: '22.1.0' }).status).not.toBe(0);
    expect(script(['--print-dir'], { OPENCLAW_IMAGE_DEBS: 'curl; reboot' }).status).not.toBe(0);
  });

  it('passes shellcheck', (ctx) => {
    const r = run(needTool(ctx, 'shellcheck', 'shellcheck'), ['--severity=style', '--format=gcc', SCRIPT]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('documents itself in docs/openclaw-stand-in.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const l of changes()) expect(doc).toContain(l);
  });
});

describe.each(VARIANTS)('compose (%s) runs on the stand-in image', (variant) => {
  const svc = gatewayService(variant);

  it('relies only on what the image provides: WORKDIR /app, node on PATH, tini; its own uid with HOME on a tmpfs', () => {
    // The command is relative to WORKDIR /app, where the package root (dist/index.js) lives.
    expect(svc.command.slice(0, 3)).toEqual(['node', 'dist/index.js', 'gateway']);
    expect(svc.environment.HOME).toBe('/home/node');
    // Not the image's node (1000, the deploy user's uid on the host): the image's /home/node is 1000's,
    // so HOME is a tmpfs owned by the container's uid; /app stays read-only (nothing is written there
    // at run time, test/e2e/room.e2e.test.ts checks with docker diff).
    expect(svc.user).toBe(`${CONTAINER_UID}:${CONTAINER_UID}`);
    expect(svc.tmpfs.some((t) => t.startsWith(`/home/node:`) && t.includes(`uid=${CONTAINER_UID}`))).toBe(true);
    expect(svc.init).toBe(true);
  });

  it('defines its own healthcheck, since docker import cannot set the official HEALTHCHECK', () => {
    expect(svc.healthcheck?.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(svc.healthcheck?.test[3]).toContain(`http://127.0.0.1:${CONTAINER_GATEWAY_PORT}/healthz`);
  });
});
