import { describe, expect, it } from 'vitest';
import { sectionLines, splitSections } from '../src/plan/sections.js';
import { factsFromProbe, PROBE_SCRIPT } from '../src/facts/probe.js';
import { parseStatus } from '../src/plan/status.js';
import { run } from './tool-runner.js';

// The one parser of the `@@claw:NAME@@` output of the server-side scripts (the probe, the status
// script): what it keeps, what it drops, and that both readers go through it.

describe('splitSections', () => {
  it('keeps each section raw: blank lines and surrounding spaces stay, in order', () => {
    const sec = splitSections('@@claw:config@@\n{\n\n  "a": 1 \n}\n@@claw:end@@\n');
    expect([...sec.keys()]).toEqual(['config', 'end']);
    expect(sec.get('config')).toEqual(['{', '', '  "a": 1 ', '}']);
    // the trailing newline is an empty last line of the last section
    expect(sec.get('end')).toEqual(['']);
  });

  it('ignores what comes before the first marker (a login banner, a sudo warning)', () => {
    const sec = splitSections('Welcome to the server\n@@claw:os@@\nID=debian');
    expect([...sec.entries()]).toEqual([['os', ['ID=debian']]]);
  });

  it('takes a marker only as a whole line, lower-case name, letters and digits', () => {
    const sec = splitSections(['@@claw:a1@@', ' @@claw:b@@', '@@claw:c@@ ', '@@claw:D@@', '@@claw:e-f@@', 'x@@claw:g@@'].join('\n'));
    expect([...sec.keys()]).toEqual(['a1']);
    expect(sec.get('a1')).toHaveLength(5);
  });

  it('an empty section is present (it ran and printed nothing); a missing one is absent', () => {
    const sec = splitSections('@@claw:docker@@\n@@claw:end@@');
    expect(sec.get('docker')).toEqual([]);
    expect(sec.has('end')).toBe(true);
    expect(sec.has('tailscale')).toBe(false);
  });

  it('a name printed twice keeps its last section', () => {
    expect(splitSections('@@claw:a@@\n1\n@@claw:a@@\n2').get('a')).toEqual(['2']);
  });

  it('a marker line inside printed content starts a section: why a file someone else writes is no trusted section', () => {
    // The status script prints openclaw.json (the container's file) between its markers.
    const sec = splitSections('@@claw:config@@\n{}\n@@claw:deadman@@\nnone\n@@claw:deadman@@\narmed\n@@claw:end@@');
    expect(sec.get('config')).toEqual(['{}']);
    expect(sec.get('deadman')).toEqual(['armed']);
  });
});

describe('sectionLines', () => {
  it('drops blank lines only, keeps the others as printed; a missing section is empty', () => {
    const sec = splitSections('@@claw:sshd@@\n\nport 22\n   \n  allowusers a\n');
    expect(sectionLines(sec, 'sshd')).toEqual(['port 22', '  allowusers a']);
    expect(sectionLines(sec, 'none')).toEqual([]);
  });
});

describe('both readers use it', () => {
  it("the probe script's real output (run here by sh) splits into the sections it names", () => {
    // No server: the script runs locally; sshd and systemctl may be absent, which the probe tolerates.
    const r = run('sh', ['-c', PROBE_SCRIPT]);
    expect(r.status).toBe(0);
    const sec = splitSections(r.stdout);
    expect([...sec.keys()]).toEqual(['os', 'conn', 'sshd', 'socket', 'end']);
    expect(sectionLines(sec, 'os').join('\n')).toMatch(/^ID=/m);
  });

  it('the probe reads blank-padded sections (each marker is printed after a newline)', () => {
    const out = '\n@@claw:os@@\n\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n\n@@claw:conn@@\n\n203.0.113.9 5 10.0.0.1 22\n\n@@claw:end@@\n';
    const f = factsFromProbe(out);
    expect(f.os).toMatchObject({ id: 'debian', versionId: '12', codename: 'bookworm' });
    expect(f.operatorIp).toBe('203.0.113.9');
  });

  it('status decodes openclaw.json from its one base64 line, blank lines included, and needs the end marker', () => {
    const config = Buffer.from('{\n\n "channels": { "telegram": {} }\n}\n').toString('base64');
    const v = parseStatus(`@@claw:config@@\n${config}\n@@claw:end@@\n`);
    expect(v.channels).toEqual([{ type: 'telegram', enabled: true }]);
    expect(() => parseStatus('@@claw:config@@\n{}\n')).toThrow(/did not finish/);
  });
});
