// add-channel in a terminal offers "send your bot a message now" (cli/first-reply.ts offerFirstReply):
// asked once, default no; yes reads the deployment again (the channel was just added) and runs the
// watch; the watch's verdict is a note, never add-channel's outcome.
import { describe, expect, it } from 'vitest';
import { offerFirstReply } from '../../src/cli/first-reply.js';
import type { OnDeployment } from '../../src/cli/deployment.js';
import type { Prompts } from '../../src/ui/plain/prompts.js';
import { base } from '../day2-fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const CONFIG = JSON.stringify({ channels: { telegram: { enabled: true, dmPolicy: 'allowlist', allowFrom: ['555000111'] } } });
const T = '2026-12-07T21:49:0';
const INBOUND = `log ${T}9.635+00:00 [telegram] Inbound message telegram:555000111 -> @claw_e2e_bot (direct, 30 chars)`;
const SENT = `log ${T}9.967+00:00 [telegram] outbound send ok accountId=default chatId=555000111 messageId=1001 operation=sendMessage`;
const HTTP401 = `log ${T}9.552+00:00 [provider-transport-fetch] [model-fetch] response provider=openai api=openai-completions model=gpt-6-astra status=401 elapsedMs=18`;

function harness(answer: boolean, watchOut: string) {
  const ran: string[] = [];
  const asked: string[] = [];
  const out: string[] = [];
  const exec = {
    run: (argv: string[]) => {
      ran.push(argv[0] === 'date' ? 'clock' : argv.join(' ').includes('journal') ? 'read-deployment' : 'watch');
      const stdout =
        argv[0] === 'date'
          ? '1796680000.123456789\n'
          : argv.join(' ').includes('journal')
            ? `journal -\nconfig ${b64(CONFIG)}\nenv ${b64('TELEGRAM_BOT_TOKEN\n')}\n`
            : watchOut;
      return Promise.resolve({ code: 0, stdout, stderr: '' });
    },
  };
  const d = { link: { exec }, answers: base, out: (s: string) => out.push(s), signal: new AbortController().signal } as unknown as Pick<
    OnDeployment,
    'link' | 'answers' | 'out' | 'signal'
  >;
  const prompts = { confirm: (o: { message: string }) => (asked.push(o.message), Promise.resolve(answer)) } as unknown as Prompts;
  return { d, prompts, ran, asked, out };
}

describe('after add-channel: send your bot a message now', () => {
  it('declined (the default): nothing is read or watched', async () => {
    const h = harness(false, '');
    await offerFirstReply(h.d, 'telegram', h.prompts);
    expect(h.asked).toEqual([expect.stringMatching(/^Send your telegram bot a message now and see it answer\?/)]);
    expect(h.ran).toEqual([]);
  });

  it('WhatsApp is not offered: it answers only once linked', async () => {
    const h = harness(true, '');
    await offerFirstReply(h.d, 'whatsapp', h.prompts);
    expect(h.asked).toEqual([]);
  });

  it('yes: the deployment read again, the clock, the watch; a reply is said', async () => {
    const h = harness(true, ['watch sent', INBOUND, SENT, ''].join('\n'));
    await offerFirstReply(h.d, 'telegram', h.prompts);
    expect(h.ran).toEqual(['read-deployment', 'clock', 'watch']);
    expect(h.out.join('\n')).toMatch(/send your bot a message now on telegram/);
    expect(h.out.join('\n')).toMatch(/555000111/);
    expect(h.out.join('\n')).not.toMatch(/first reply: /);
  });

  it('a failed hop is a note naming it, not an error: the channel stays added', async () => {
    const h = harness(true, ['watch processed', INBOUND, HTTP401, ''].join('\n'));
    await expect(offerFirstReply(h.d, 'telegram', h.prompts)).resolves.toBeUndefined();
    const said = h.out.join('\n');
    expect(said).toMatch(/claw-setup: first reply: .*model provider/i);
    expect(said).toMatch(/the channel stays added/);
  });
});
