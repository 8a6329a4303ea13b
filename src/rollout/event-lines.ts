import type { RolloutEvent } from './events.js';

/**
 * One plain line per event. Action starts and running gates are left out
 * (their end says it all), and a gate's end shows once, as its check line.
 */
export function eventPrinter(): (e: RolloutEvent) => string | null {
  let gateTitle: string | null = null;
  return (e) => {
    switch (e.type) {
      case 'step-started':
        return `==> ${e.stepId}: ${e.title}`;
      case 'step-finished':
        return `<== ${e.stepId}: ${e.status}`;
      case 'action-started':
        gateTitle = e.kind === 'gate' ? e.title : null;
        return null;
      case 'action-finished':
        if (gateTitle === e.title) return null;
        return `    ${e.status === 'failed' ? 'FAILED ' : e.status.padEnd(7)} ${e.title}`;
      case 'output':
        return `      | ${e.line}`;
      case 'gate':
        return e.status === 'running' ? null : `    ${e.status === 'passed' ? 'PASSED ' : 'FAILED '} check: ${e.title}${e.detail ? ` (${e.detail})` : ''}`;
      case 'deadman':
        return e.state === 'armed'
          ? `    dead-man switch "${e.groupId}" armed: the server undoes this group in ${e.timeoutSec}s unless every check passes`
          : `    dead-man switch "${e.groupId}" ${e.state}`;
    }
  };
}
