import { checkbox, confirm, input, password, select } from '@inquirer/prompts';

type Context = NonNullable<Parameters<typeof input>[1]>;
/** The line prompts the plain mode uses; @inquirer/prompts in real life, bound to other streams in tests. */
export interface Prompts {
  input(o: { message: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  password(o: { message: string; validate?: (v: string) => true | string }): Promise<string>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
  select(o: { message: string; choices: { name: string; value: string }[]; default?: string }): Promise<string>;
  checkbox(o: { message: string; choices: { name: string; value: string; checked?: boolean }[] }): Promise<string[]>;
}

/** @inquirer/prompts, optionally on other streams. Passwords are masked with "*"; they never take a default. */
export function inquirerPrompts(ctx?: Context): Prompts {
  return {
    input: (o) => input({ message: o.message, default: o.default, validate: o.validate }, ctx),
    password: (o) => password({ message: o.message, mask: '*', validate: o.validate }, ctx),
    confirm: (o) => confirm(o, ctx),
    select: (o) => select({ message: o.message, choices: o.choices, default: o.default, pageSize: 10 }, ctx),
    checkbox: (o) => checkbox({ message: o.message, choices: o.choices, pageSize: 10 }, ctx),
  };
}

/** Ctrl-C in an @inquirer prompt rejects with ExitPromptError: for us, a cancel. */
export const isPromptExit = (e: unknown): boolean => e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
