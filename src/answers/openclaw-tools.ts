/**
 * OpenClaw 2026.9.6's built-in tool names and groups (docs/gateway/config-tools/tool-policy.md).
 * OpenClaw accepts any string in tools.deny and silently ignores typos, so we check names here.
 */
export const TOOL_GROUPS: Record<string, readonly string[]> = {
  'group:runtime': ['exec', 'process', 'code_execution', 'bash'],
  'group:fs': ['read', 'write', 'edit', 'apply_patch'],
  'group:sessions': [
    'sessions',
    'sessions_list',
    'sessions_history',
    'sessions_search',
    'conversations_list',
    'conversations_send',
    'conversations_turn',
    'sessions_send',
    'sessions_spawn',
    'sessions_yield',
    'subagents',
    'session_status',
    'suggest_task',
    'dismiss_task',
  ],
  'group:memory': ['memory_search', 'memory_get'],
  'group:web': ['web_search', 'x_search', 'web_fetch'],
  'group:ui': ['browser', 'screen', 'theme', 'dashboard', 'terminal', 'portal', 'canvas', 'show_widget'],
  'group:automation': ['heartbeat_respond', 'automations', 'cron', 'gateway', 'plugins', 'openclaw'],
  'group:messaging': ['message'],
  'group:nodes': ['nodes', 'computer'],
  'group:agents': ['agents_list', 'get_goal', 'create_goal', 'update_goal', 'progress_card', 'ask_user', 'skill_workshop'],
  'group:media': ['view_image', 'image', 'image_generate', 'music_generate', 'video_generate', 'tts', 'pdf'],
  'group:openclaw': [],
  'group:plugins': [],
};

export const KNOWN_TOOLS: ReadonlySet<string> = new Set(Object.values(TOOL_GROUPS).flat());
export const KNOWN_TOOL_NAMES: ReadonlySet<string> = new Set([...KNOWN_TOOLS, ...Object.keys(TOOL_GROUPS)]);

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** The closest known tool name, for "did you mean" hints. */
export function closestTool(name: string): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const t of KNOWN_TOOL_NAMES) {
    const dd = distance(name.toLowerCase(), t);
    if (dd < bestD) [best, bestD] = [t, dd];
  }
  return best;
}
