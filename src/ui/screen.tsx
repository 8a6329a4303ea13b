import { ConfirmInput, Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { Dispatch, ReactNode } from 'react';
import { fieldsOf, currentField, type WizardState } from './wizard/reducer.js';
import { sectionsOf, type AnyEvent } from './wizard/home-reducer.js';
import { HandoffView, HomeView, SectionsView } from './home/home-view.js';
import { SCREENS, screenTitle, type Field } from './wizard/types.js';
import { secretState } from './wizard/walk.js';
import type { Runtime } from './use-wizard-effects.js';
import type { PlanRow } from './views/plan-lines.js';
import { ApplyView } from './views/apply-view.js';
import { Frame, frameLines } from './views/frame.js';
import { PlanView } from './views/plan-view.js';
import { QuestionScreen } from './views/question-screen.js';
import { Review } from './views/review.js';
import { SavePrompt } from './views/save-prompt.js';
import { Welcome } from './views/welcome.js';
import { FinalScreen } from './final-screen.js';
import { COLOR } from './views/theme.js';

export interface ScreenProps {
  s: WizardState;
  dispatch: Dispatch<AnyEvent>;
  rt: Runtime;
  rows: PlanRow[];
  width: number;
  height: number;
  now: number;
}

const KEYS: Record<Field['kind'], string> = {
  text: 'Enter next · Esc back · Ctrl-C quit',
  number: 'Enter next · Esc back · Ctrl-C quit',
  list: 'comma-separated · Enter next · Esc back · Ctrl-C quit',
  secret: 'typing is hidden · Enter next · Esc back · Ctrl-C quit',
  bool: '↑↓ choose · Enter next · Esc back · Ctrl-C quit',
  select: '↑↓ choose · Enter next · Esc back · Ctrl-C quit',
  multi: '↑↓ move · Space toggle · Enter next · Esc back',
};

/** Secrets for the review line: where each comes from, or "set (hidden)". Never a value. */
function secretLines(s: WizardState): string[] {
  const from = (f: Field) => ('env' in f.secret!.ref ? `env ${f.secret!.ref.env}` : `file ${f.secret!.ref.file}`);
  const out = fieldsOf(s)
    .filter((f) => f.kind === 'secret')
    .map((f) => `${f.secret!.name} ${s.values[f.id] !== undefined ? secretState(s.values[f.id]) : `← ${from(f)}`}`);
  if (s.answers?.openclaw.gatewayToken === 'generate') out.push('OPENCLAW_GATEWAY_TOKEN generated (never shown)');
  return out;
}

/** Picks the view for the phase and frames it (header, key hints). */
export function Screen({ s, dispatch, rt, rows, width, height, now }: ScreenProps) {
  const compact = height < 30;
  const body = height - frameLines(compact);
  const frame = (title: string, keys: string, child: ReactNode, where?: string) => (
    <Frame title={title} keys={keys} dryRun={s.dryRun} width={width} where={where} compact={compact}>
      {child}
    </Frame>
  );
  if (s.hostKey !== null)
    return frame(
      'Host key',
      'y trust · n refuse · Ctrl-C quit',
      <Box flexDirection="column">
        <Text>First connection to this server. Its host key fingerprint:</Text>
        <Text color={COLOR.accent}>{s.hostKey}</Text>
        <Text color={COLOR.dim}>Compare it with the one your provider shows (web console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).</Text>
        <Box>
          <Text>Trust it and remember it? </Text>
          <ConfirmInput defaultChoice="cancel" onConfirm={() => rt.answerHostKey(true)} onCancel={() => rt.answerHostKey(false)} />
        </Box>
      </Box>,
    );
  switch (s.phase) {
    case 'home':
      return frame(
        'Home',
        '↑↓ choose · Enter select · Ctrl-C quit',
        <HomeView
          host={s.connectedTo ? String(JSON.parse(s.connectedTo).host ?? '') : ''}
          info={s.home!.info!}
          height={body}
          onAction={(action) => dispatch({ type: 'menu', action })}
        />,
      );
    case 'handoff':
      return frame('Home', '', <HandoffView action={s.home?.chosen ?? null} />);
    case 'sections':
      return frame(
        'Change a section',
        '↑↓ choose · Enter select · Esc back · Ctrl-C quit',
        <SectionsView sections={sectionsOf(s)} error={s.error} onPick={(screen) => dispatch({ type: 'section', screen })} />,
      );
    case 'welcome': {
      const fields = fieldsOf(s);
      return frame(
        'Welcome',
        'Enter start · Esc or Ctrl-C quit',
        <Welcome dryRun={s.dryRun} toAsk={fields.filter((f) => !f.given).length} given={fields.filter((f) => f.given).length} />,
      );
    }
    case 'asking': {
      const field = currentField(s);
      if (s.busy || !field)
        return frame(
          'Working',
          'Ctrl-C quit',
          <Spinner label={s.busy?.kind === 'keygen' ? `creating ${s.busy.path} with ssh-keygen…` : 'connecting and looking at the server (read-only)…'} />,
        );
      const fields = fieldsOf(s);
      const screens = SCREENS.map(([id]) => id).filter((id) => fields.some((f) => f.screen === id && !f.given));
      const where = `${screens.indexOf(field.screen) + 1} of ${screens.length}`;
      return frame(
        screenTitle(field.screen),
        KEYS[field.kind],
        <QuestionScreen
          fields={fields.filter((f) => f.screen === field.screen)}
          cursor={field.id}
          values={s.values}
          error={s.error}
          visit={s.history.length}
          height={body}
          width={width}
          onEdit={(fieldId, text) => dispatch({ type: 'edit', fieldId, text })}
          onAnswer={(raw) => dispatch({ type: 'answer', raw })}
          onError={(message) => dispatch({ type: 'field-error', message })}
        />,
        where,
      );
    }
    case 'review': {
      const mode = s.review.mode;
      if (mode === 'plan') return frame('Plan', '↑↓ PgUp PgDn Home End scroll · Esc back', <PlanView rows={rows} scroll={s.review.scroll} height={body} />);
      if (mode === 'save-answers' || mode === 'save-plan') {
        const what = mode === 'save-answers' ? 'answers' : 'plan';
        const toSet =
          what === 'answers'
            ? fieldsOf(s)
                .filter((f) => f.secret && s.values[f.id])
                .map((f) => ('env' in f.secret!.ref ? f.secret!.ref.env : f.secret!.ref.file))
            : [];
        return frame(
          what === 'answers' ? 'Save answers' : 'Save plan',
          'Enter save · Esc back',
          <SavePrompt
            what={what}
            defaultPath={what === 'answers' ? './claw-answers.json5' : './claw-plan.sh'}
            toSet={toSet}
            error={s.review.error}
            onSave={(p) => rt.save(what, p)}
          />,
        );
      }
      const b = rt.built;
      const title = s.dryRun ? 'Review (dry run: nothing will change)' : 'Review: nothing has changed yet';
      if (!b && !s.review.error) return frame(title, 'Esc back · Ctrl-C quit', <Spinner label="building the plan…" />);
      return frame(
        title,
        '↑↓ choose · Enter select · Esc back · Ctrl-C quit',
        <Review
          steps={b?.plan.steps ?? []}
          secrets={secretLines(s)}
          host={b?.host ?? ''}
          notice={s.review.notice}
          error={s.review.error}
          dryRun={s.dryRun}
          height={body}
          width={width}
          onAction={(a) => (a === 'apply' ? rt.startApply() : dispatch({ type: 'review', action: a }))}
        />,
      );
    }
    case 'applying':
      return frame(
        s.dryRun ? 'Applying (dry run: recorded, not run)' : `Applying to ${rt.built?.host ?? ''}`,
        'Ctrl-C stop safely',
        <ApplyView apply={s.apply!} now={now} abort={s.abort} width={width} height={body} onAbort={(yes) => dispatch({ type: 'abort', yes })} />,
      );
    default:
      return frame(
        s.phase === 'done' ? 'Done' : s.phase === 'cancelled' ? 'Cancelled' : s.result?.status === 'cancelled' ? 'Stopped' : 'Failed',
        '',
        <FinalScreen s={s} rt={rt} now={now} />,
      );
  }
}
