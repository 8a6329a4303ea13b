import { spawnInTerminal } from './process.js';

/**
 * Runs this CLI again as a child with the terminal handed over (stdin, stdout, stderr inherited)
 * and resolves with its exit code (128 + the signal's number when a signal ended it). The home
 * menu (cli/home.ts) runs each day-2 command so: the command's prompts, connections and terminal
 * modes end with it, and the full-screen menu mounts again on a terminal nobody else holds (run
 * in the same process, the menu shown again after a command read arrows as cooked input).
 * Ctrl-C reaches the child (same process group), which stops safely; this process waits for it.
 */
export function runCliInTerminal(args: string[]): Promise<number> {
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  const readAgain = stopReading(process.stdin);
  return spawnInTerminal([process.execPath, ...process.execArgv, process.argv[1], ...args]).finally(() => {
    process.removeListener('SIGINT', ignore);
    readAgain();
  });
}

/**
 * Stops this process reading the terminal, so every key reaches the child: a stream that was read
 * (Ink's, an inquirer prompt's) keeps its handle reading after pause() until its buffer is full,
 * and the keys it takes never reach the child (seen in the tmux e2e: a typed ID was lost).
 * Returns what starts it again: the stream still counts its read as pending and would not ask
 * again, so the next reader (Ink, mounted right after) would wait on a handle that never reads
 * (seen in the e2e: the menu came back, then the process ended with nothing left to wait on).
 */
function stopReading(stdin: NodeJS.ReadStream): () => void {
  stdin.pause();
  const handle = (stdin as unknown as { _handle?: { reading?: boolean; readStop?: () => number; readStart?: () => number } })._handle;
  if (!handle?.readStop || !handle.readStart || handle.reading === false) return () => undefined;
  handle.reading = false;
  handle.readStop();
  return () => {
    handle.reading = true;
    handle.readStart!();
  };
}
