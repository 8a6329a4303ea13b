import { describe, expect, it } from 'vitest';
import { eventPrinter } from '../../src/rollout/event-lines.js';

describe('the plain progress log', () => {
  it('prints one line per finished thing and a gate once', () => {
    const p = eventPrinter();
    const lines = [
      p({ type: 'step-started', stepId: 'ssh', title: 'SSH tightening (guarded)' }),
      p({ type: 'deadman', stepId: 'ssh', groupId: 'ssh', state: 'armed', timeoutSec: 180 }),
      p({ type: 'action-started', stepId: 'ssh', title: 'reload sshd', kind: 'run' }),
      p({ type: 'action-finished', stepId: 'ssh', title: 'reload sshd', status: 'done' }),
      p({ type: 'action-started', stepId: 'ssh', title: 'root refused', kind: 'gate' }),
      p({ type: 'gate', stepId: 'ssh', title: 'root refused', status: 'running' }),
      p({ type: 'gate', stepId: 'ssh', title: 'root refused', status: 'passed', detail: 'Permission denied (publickey)' }),
      p({ type: 'action-finished', stepId: 'ssh', title: 'root refused', status: 'done' }),
      p({ type: 'deadman', stepId: 'ssh', groupId: 'ssh', state: 'disarmed' }),
      p({ type: 'step-finished', stepId: 'ssh', status: 'done' }),
    ].filter((l) => l !== null);
    expect(lines).toEqual([
      '==> ssh: SSH tightening (guarded)',
      '    dead-man switch "ssh" armed: the server undoes this group in 180s unless every check passes',
      '    done    reload sshd',
      '    PASSED  check: root refused (Permission denied (publickey))',
      '    dead-man switch "ssh" disarmed',
      '<== ssh: done',
    ]);
  });
});
