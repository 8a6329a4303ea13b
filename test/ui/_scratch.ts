import { initWizard, reducer, currentField, fieldsOf } from '../../src/ui/wizard/reducer.js';
const ctx = { provided: new Set<string>(), available: () => false, keys: [{ path: '~/.ssh/id_ed25519', label: '~/.ssh/id_ed25519 (ed25519)' }], facts: null, newKeyPath: '~/.ssh/claw_ed25519' };
let s = initWizard({ base: {}, ctx, dryRun: true, online: false });
s = reducer(s, { type: 'start' });
let n = 0;
while (s.phase === 'asking' && n++ < 80) {
  const f = currentField(s)!;
  let raw: any = f.initial ?? '';
  if (f.kind === 'secret') raw = f.secret!.name === 'SUDO_PASSWORD' ? 'hunter2hunter2' : 'sk-xyz-123456';
  if (f.id === 'target.host') raw = '203.0.113.10';
  if (typeof raw === 'number') raw = String(raw);
  if (Array.isArray(raw) && f.kind === 'list') raw = raw.join(', ');
  const before = s.cursor;
  s = reducer(s, { type: 'answer', raw });
  console.log(f.screen.padEnd(12), f.id.padEnd(34), JSON.stringify(f.kind === 'secret' ? '***' : raw), s.error ?? '');
  if (s.cursor === before && s.error) break;
}
console.log(s.phase, s.review.error, JSON.stringify(s.answers).slice(0, 300));
