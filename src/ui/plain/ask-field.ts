import { parseField, parseSecret, type RawInput } from '../wizard/parse-field.js';
import type { Field } from '../wizard/types.js';
import type { Prompts } from './prompts.js';

const text = (v: Field['initial']): string | undefined => (v === null ? undefined : Array.isArray(v) ? v.join(', ') : String(v));
const label = (f: Field) => (f.hint ? `${f.label} (${f.hint})` : f.label);

/**
 * Asks one question as a line prompt and returns the raw answer for the
 * reducer. Text is checked as it is submitted by the same parser the wizard
 * uses; a secret is masked, never defaulted, and typed twice when the field says so.
 */
export async function askField(p: Prompts, f: Field, hasValue: boolean, say: (line: string) => void): Promise<RawInput> {
  switch (f.kind) {
    case 'bool':
      return p.confirm({ message: f.label, default: f.initial !== false });
    case 'select':
      return p.select({
        message: f.label,
        choices: (f.options ?? []).map((o) => ({ name: o.label, value: o.value })),
        default: typeof f.initial === 'string' ? f.initial : undefined,
      });
    case 'multi': {
      const on = Array.isArray(f.initial) ? f.initial : [];
      return p.checkbox({ message: label(f), choices: (f.options ?? []).map((o) => ({ name: o.label, value: o.value, checked: on.includes(o.value) })) });
    }
    case 'secret':
      for (;;) {
        const keep = hasValue
          ? ' (Enter keeps the value you typed)'
          : f.optional
            ? ' (Enter for none)'
            : f.secret?.dryRun
              ? ' (dry run: Enter leaves it empty)'
              : '';
        const first = await p.password({
          message: `${f.label}${keep}`,
          validate: (v) => (v === '' && hasValue ? true : ((r) => (r.ok ? true : r.error))(parseSecret(f, v))),
        });
        if (first === '' || !f.secret?.confirm) return first;
        const again = await p.password({ message: 'Type it again to confirm' });
        if (again === first) return first;
        say('  the two entries differ: type it again');
      }
    default: {
      const def = text(f.initial);
      return p.input({
        message: label(f),
        default: def,
        validate: (v) => {
          const r = parseField(f, v === '' && def !== undefined ? def : v);
          return r.ok ? true : r.error;
        },
      });
    }
  }
}
