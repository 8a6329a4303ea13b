// steps/deployment.ts: what every change to a running deployment shares. The dated copy (run here on
// a scratch tree, a planted link refused), the clean stop before the recreate, the journal, and
// OpenClaw's channel probe judged by the script the gate runs. The wait for /healthz:
// test/steps/health-wait.test.ts.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { revealText } from '../../src/core/secret.js';
import { serverPaths, type ServerPaths } from '../../src/plan/paths.js';
import { channelProbeLoop, channelProbeScript, journalUpdate, keepCopy, recreateGateway, stopGateway } from '../../steps/deployment.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('deployment');
afterAll(() => tmp.cleanup());
const a = answersSchema.parse({ openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } });
const p = serverPaths(a);
/** A scratch tree in place of /var/lib/claw-setup (a fixed path in the real plan). */
const scratch = (stateDir: string) => ({ stateDir }) as unknown as Pick<ServerPaths, 'stateDir'>;

describe('keepCopy (run here with sh on a scratch tree)', () => {
  it('copies regular files into a dated root-only directory and points last-<kind> at it', () => {
    const state = join(tmp.dir, 'state');
    const src = join(tmp.dir, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, '.env'), 'A=1\n');
    writeFileSync(join(src, 'openclaw.json'), '{}\n');
    const k = keepCopy(scratch(state), 'rotate', 'rotate', [join(src, '.env'), join(src, 'openclaw.json')]);
    expect(k.title).toBe('keep a dated copy of .env and openclaw.json');
    const r = run(k.argv[0], k.argv.slice(1));
    expect(r.status, r.stderr).toBe(0);
    const last = readlinkSync(join(state, 'backups/last-rotate'));
    expect(last).toMatch(/\/backups\/\d{8}T\d{6}Z-rotate$/);
    expect(readFileSync(join(last, '.env'), 'utf8')).toBe('A=1\n');
    expect(r.stdout).toBe(`kept a copy in ${last}\n`);
  });

  it('refuses a file that is a link (the container may have planted it), copying nothing', () => {
    const state = join(tmp.dir, 'state-link');
    const src = join(tmp.dir, 'src-link');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(tmp.dir, 'host-only'), 'secret\n');
    symlinkSync(join(tmp.dir, 'host-only'), join(src, 'openclaw.json'));
    const k = keepCopy(scratch(state), 'x', 'x', [join(src, 'openclaw.json')]);
    const r = run(k.argv[0], k.argv.slice(1));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a regular file: refusing to copy it');
    // the dated directory is made before the check, and stays empty; no last-x points at it
    const made = readdirSync(join(state, 'backups'));
    expect(made).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z-x$/)]);
    expect(readdirSync(join(state, 'backups', made[0]))).toEqual([]);
  });
});

describe('stop, recreate, journal', () => {
  it('stops the gateway cleanly, then recreates it from the compose file', () => {
    expect(stopGateway(p).argv).toEqual([
      'docker',
      'compose',
      '--project-directory',
      p.composeDir,
      '-f',
      p.compose,
      'stop',
      '--timeout',
      '30',
      'openclaw-gateway',
    ]);
    expect(recreateGateway(p).argv.slice(-4)).toEqual(['up', '-d', '--force-recreate', '--remove-orphans']);
    expect(recreateGateway(p, 'the old token').title).toBe('recreate the gateway with the old token');
  });

  it('the journal keeps what the server held, takes the answers now deployed and the extra fields; mode 600', () => {
    const w = journalUpdate(p, { tool: 'claw-setup', steps: ['ssh'], version: '0.0.1' }, a, 'journal', { rotated: ['gateway-token'] });
    const j = JSON.parse(revealText(w.content));
    expect([w.path, w.mode, j.steps, j.rotated, j.answers.openclaw.providers]).toEqual([
      '/var/lib/claw-setup/journal.json',
      0o600,
      ['ssh'],
      ['gateway-token'],
      { anthropic: { env: 'ANTHROPIC_API_KEY' } },
    ]);
    expect(j.version).not.toBe('0.0.1');
    expect(JSON.parse(revealText(journalUpdate(p, null, a, 'journal').content)).tool).toBe('claw-setup');
  });
});

describe("the channel probe gate (OpenClaw's channels status JSON, judged by the script the gate runs)", () => {
  const judge = (fixture: string, type: 'telegram' | 'discord', last = 1) => {
    const file = new URL(`../fixtures/channel-probe/${fixture}.json`, import.meta.url).pathname;
    const script = channelProbeScript(type).replace(/^node dist\/index\.js channels status [^|]*\|/, `cat ${file} |`);
    return run('sh', ['-c', `last=${last}\n${script}`]);
  };
  it('a working token passes, naming the bot', () => {
    const r = judge('valid', 'telegram');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('telegram: works (@claw_e2e_bot)');
  });
  it('a refused token fails with OpenClaw’s reason', () => {
    const r = judge('invalid', 'telegram');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/telegram: refused: .*401/);
  });
  it('a provider that cannot be reached passes with a note (nothing of ours to roll back)', () => {
    const r = judge('down', 'telegram');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/not reachable now .*ECONNREFUSED/);
    expect(judge('discord3', 'discord').stdout).toMatch(/discord: configured, but the provider is not reachable now/);
  });
  it('a plugin channel OpenClaw could not install fails, saying what to check', () => {
    const r = judge('plugin-missing', 'discord');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/discord: OpenClaw runs no such channel \(unknown channel: discord\): the discord plugin is not installed .*registry\.npmjs\.org/);
  });
  it('the loop the gate runs waits while the channel is not there yet, then passes; a refusal stops it at once', () => {
    const dir = join(tmp.dir, 'fake-openclaw');
    run('mkdir', ['-p', join(dir, 'dist')]);
    const fx = (n: string) => new URL(`../fixtures/channel-probe/${n}.json`, import.meta.url).pathname;
    // A stand-in `node dist/index.js channels status`: the first two calls find no channel yet, then `final`.
    const fake = (final: string) =>
      writeFileSync(
        join(dir, 'dist/index.js'),
        `const fs=require('fs');const c=${JSON.stringify(join(dir, 'count'))};let n=0;try{n=+fs.readFileSync(c,'utf8')}catch{};fs.writeFileSync(c,String(n+1));` +
          `process.stdout.write(fs.readFileSync(n<2?${JSON.stringify(fx('plugin-missing'))}:${JSON.stringify(fx(final))},'utf8'))`,
      );
    fake('valid');
    writeFileSync(join(dir, 'count'), '0');
    const ok = run('sh', ['-c', channelProbeLoop('telegram', 5, 0)], { cwd: dir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('3');
    fake('invalid');
    writeFileSync(join(dir, 'count'), '0');
    const refused = run('sh', ['-c', channelProbeLoop('telegram', 5, 0)], { cwd: dir });
    expect(refused.status).toBe(1);
    expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('3');
    writeFileSync(join(dir, 'count'), '-100');
    const never = run('sh', ['-c', channelProbeLoop('discord', 3, 0)], { cwd: dir });
    expect(never.status).toBe(1);
    expect(never.stderr).toMatch(/discord plugin is not installed/);
  });
  it('a channel missing from the status fails on the last try, and says "not yet" (3) before', () => {
    expect(judge('plugin-missing', 'discord', 0).status).toBe(3);
    expect(judge('valid', 'discord').status).toBe(1);
    expect(run('sh', ['-c', channelProbeScript('telegram').replace(/^node dist\/index\.js channels status [^|]*\|/, 'echo oops |')]).status).toBe(1);
  });
});
