import { Box, Text } from 'ink';
import { LineInput } from './line-input.js';
import { COLOR, SYM } from './theme.js';

export interface SavePromptProps {
  what: 'answers' | 'plan';
  defaultPath: string;
  /** Env vars to set before the saved answers can be used (values typed at prompts). */
  toSet: string[];
  error: string | null;
  onSave: (path: string) => void;
}

/** Asks where to save the answers file or the plan script. */
export function SavePrompt({ what, defaultPath, toSet, error, onSave }: SavePromptProps) {
  return (
    <Box flexDirection="column">
      <Text bold>{`${SYM.cursor} Save the ${what === 'answers' ? 'answers (JSON5)' : 'plan (bash script)'} to:`}</Text>
      <Box paddingLeft={2}>
        <LineInput defaultValue={defaultPath} onSubmit={onSave} />
      </Box>
      {error ? <Text color={COLOR.bad}>{`  ${SYM.fail} ${error}`}</Text> : null}
      <Box marginTop={1} flexDirection="column">
        {what === 'answers' ? (
          <>
            <Text color={COLOR.dim}>Secrets are saved as references ({'{ env: "NAME" }'}), never as values.</Text>
            {toSet.length ? <Text color={COLOR.dim} wrap="wrap">{`Before using the file, set: ${toSet.join(', ')}`}</Text> : null}
          </>
        ) : (
          <Text color={COLOR.dim}>Secrets appear as {'<secret:NAME>'}; the script is for review.</Text>
        )}
        <Text color={COLOR.dim}>An existing file is never overwritten.</Text>
      </Box>
    </Box>
  );
}
