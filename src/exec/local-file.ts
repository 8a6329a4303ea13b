import { writeFileSync } from 'node:fs';

/**
 * Writes a new file on the operator's machine (a saved answers file or plan
 * script). Never overwrites: `wx` fails when the file exists. The text holds
 * no secret values (answers keep references, plans keep placeholders).
 */
export function writeNewLocalFile(path: string, text: string, mode = 0o644): void {
  try {
    writeFileSync(path, text, { flag: 'wx', mode });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${path} already exists; it was not overwritten (pick another name)`);
    if (code === 'ENOENT') throw new Error(`the folder for ${path} does not exist`);
    if (code === 'EACCES') throw new Error(`no permission to write ${path}`);
    throw new Error(`cannot write ${path}: ${code ?? 'error'}`);
  }
}
