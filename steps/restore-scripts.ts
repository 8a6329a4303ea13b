/**
 * The server-side scripts of `claw-setup restore` (steps/backup-restore.ts). An archive is data,
 * not privileges: it may come from a server whose container turned hostile (config/ and
 * workspace/ are the container's to write), or from another member of a fleet. So root checks
 * every member by type before anything is unpacked, unpacks into a root-only directory beside the
 * deployment (same file system: it moves in by rename), and the compose file and the policy keys
 * of openclaw.json are then rebuilt from the answers; only data comes from the archive.
 */
import { throwawayRunOptions } from '../templates/gateway-shared.js';

/**
 * Checks the staged archive $1/archive.tar.gz and unpacks it into $3 (made root-only, 700).
 * $2: the compose directory relative to / (every member must be under it); $4: the deploy
 * user; $5: the container's uid. Refused: an archive that does not read back; a member outside
 * $2 or with a ".." part; a hard link, device or FIFO anywhere (no business in a backup; root
 * would write or read through it); an archive without the compose file, .env and
 * config/openclaw.json as regular files (a .env symlinked to a host file is never read). A
 * symbolic link elsewhere is left out, never unpacked nor followed (npm puts them in the plugins'
 * node_modules/.bin under config/): only regular files and directories are unpacked, by name.
 * Unpacked without the archive's owners: config/ and workspace/ belong to the container, the
 * rest to the deploy user.
 */
export const CHECK_ARCHIVE = `set -eu
a="$1/archive.tar.gz"
if ! tar -tzf "$a" >"$1/list" 2>/dev/null || ! tar -tvzf "$a" >"$1/types" 2>/dev/null; then
  echo "the archive does not read back (not a .tar.gz, or damaged)" >&2
  exit 1
fi
# GNU tar escapes odd bytes in names (a newline is \\n): one member, one line, in both listings.
[ "$(wc -l <"$1/list")" = "$(wc -l <"$1/types")" ] || { echo "the archive's two listings differ: refused" >&2; exit 1; }
# Each member as "TYPE NAME": the first letter of the long listing (- file, d directory, l symlink, h hard link, ...).
cut -c1 "$1/types" | paste -d ' ' - "$1/list" >"$1/members"
if awk -v p="$2" '{ n = substr($0, 3) } n != p && n != p "/" && index(n, p "/") != 1' "$1/members" | grep -q .; then
  echo "the archive holds files outside /$2: not a claw-setup backup of this deployment" >&2
  exit 1
fi
if cut -c3- "$1/members" | grep -qE '(^|/)[.][.](/|$)'; then
  echo "the archive holds a path with a '..' part: refused" >&2
  exit 1
fi
bad=$(grep -v -e '^- ' -e '^d ' -e '^l ' "$1/members" | head -n 5 | cut -c1-200)
if [ -n "$bad" ]; then
  echo "the archive holds hard links, devices or FIFOs (never restored: root would write or read through them). The first (type, name):" >&2
  printf '%s\\n' "$bad" >&2
  exit 1
fi
for f in docker-compose.yml .env config/openclaw.json; do
  grep -qxF -- "- $2/$f" "$1/members" && continue
  if grep -qxF -- "l $2/$f" "$1/members"; then
    echo "/$2/$f in the archive is a symbolic link: refused (root never follows it)" >&2
  else
    echo "the archive holds no regular file /$2/$f: not a claw-setup backup of this deployment" >&2
  fi
  exit 1
done
links=$(grep -c '^l ' "$1/members" || true)
if [ "$links" -gt 0 ]; then
  echo "left out $links symbolic link(s), never unpacked nor followed (npm makes them in node_modules/.bin); the first:"
  grep '^l ' "$1/members" | head -n 3 | cut -c3-200
fi
# Only regular files and directories, by name (tar reads the escaped names back; no recursion).
grep -e '^- ' -e '^d ' "$1/members" | cut -c3- >"$1/unpack"
rm -rf -- "$3"
install -d -m 0700 -o root -g root -- "$3"
n=$(printf '%s\\n' "$2" | awk -F/ '{ print NF }')
tar -xzf "$a" -C "$3" --no-same-owner --strip-components="$n" --no-recursion -T "$1/unpack"
# Belt and braces: what tar wrote is only files and directories.
if [ -n "$(find "$3" ! -type f ! -type d -print -quit)" ]; then
  echo "unpacking left something that is not a file or directory: refused" >&2
  exit 1
fi
find "$3" -mindepth 1 -exec chown -h -- "$4:$4" {} +
for d in config workspace; do
  if [ -d "$3/$d" ]; then chown -R -h -- "$5:$5" "$3/$d"; fi
done
# The archive's .env is data (the secrets); docker compose reads it too, and its own settings are
# not data (claw-setup never writes them). The line is not shown: it may hold a secret.
if grep -qE '^[[:space:]]*(export[[:space:]]+)?(COMPOSE_|DOCKER_)' "$3/.env"; then
  echo "the archive's .env sets docker compose's own settings (COMPOSE_*, DOCKER_*): refused" >&2
  exit 1
fi
# No set-id bit comes from an archive.
find "$3" -perm /6000 -exec chmod ug-s -- {} +
chmod 600 -- "$3/.env" "$3/docker-compose.yml"
echo "the archive reads back: $(wc -l <"$1/unpack") files and directories under /$2 unpacked"`;

/**
 * Node, in a throwaway container of the gateway image: the archive's openclaw.json on stdin,
 * the keys claw-setup sets (openclawConfig of the answers) as argv[1]; the rebuilt file on
 * stdout. The sections that open doors or grant powers come from the answers only, replaced
 * whole: gateway (bind, auth, Control UI, proxies), tools, discovery, agents.defaults.sandbox,
 * plugins (code the gateway loads), and each channel the answers name. A channel the answers do
 * not name stays, switched off. Everything else (sessions, model, memory, keys claw-setup does
 * not set) is the archive's, with the answers' keys merged in as a rerun merges them
 * (templates/openclaw-json.ts mergeIntoLive). OpenClaw reads JSON5: the image has the json5
 * package (plain JSON otherwise).
 */
export const MERGE_POLICY_JS = `
const isObj = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
let parse = JSON.parse;
try { parse = require('json5').parse; } catch {}
const ours = JSON.parse(process.argv[1]);
let live;
try { live = parse(require('fs').readFileSync(0, 'utf8')); } catch (e) {
  console.error("the archive's openclaw.json does not parse: " + String(e && e.message).slice(0, 200));
  process.exit(1);
}
if (!isObj(live)) { console.error("the archive's openclaw.json is not an object"); process.exit(1); }
const WHOLE = new Set(['gateway', 'tools', 'discovery', 'plugins', 'agents.defaults.sandbox']);
const merge = (l, o, path) => {
  const out = { ...l };
  for (const [k, v] of Object.entries(o)) {
    const at = [...path, k].join('.');
    const whole = WHOLE.has(at) || (path.length === 1 && path[0] === 'channels');
    out[k] = !whole && isObj(v) && isObj(l[k]) ? merge(l[k], v, [...path, k]) : v;
  }
  return out;
};
const m = merge(live, ours, []);
const gone = [];
// Sections the answers leave out entirely are not taken from the archive either.
for (const k of ['plugins']) if (!(k in ours) && k in m) { delete m[k]; gone.push(k); }
const off = [];
if (isObj(m.channels))
  for (const [k, v] of Object.entries(m.channels))
    if (!(isObj(ours.channels) && k in ours.channels) && isObj(v) && v.enabled !== false) { v.enabled = false; off.push(k); }
if (off.length) console.error('channels not in the answers, restored switched off (claw-setup add-channel turns one back on): ' + off.join(', '));
if (gone.length) console.error("not in the answers, left out of the restored openclaw.json: " + gone.join(', '));
process.stdout.write(JSON.stringify(m, null, 2) + '\\n');
`;

/** `docker run` options for the merge and validation containers (templates/gateway-shared.ts). */
export const THROWAWAY = throwawayRunOptions({ memory: '512m', pids: 128 });

/**
 * Re-applies the answers' policy keys over the staged openclaw.json ($1: the staged compose dir;
 * $2: the gateway image; $3: the container's uid; $4: MERGE_POLICY_JS; $5: the keys as JSON), in
 * a throwaway container (the archive's text is never parsed by root), then has OpenClaw's own
 * validator check the result in another one, the config directory mounted read-only.
 */
export const REBUILD_CONFIG = `set -eu
c="$1/config/openclaw.json"
if [ ! -f "$c" ] || [ -L "$c" ]; then echo "$c is not a regular file: refused" >&2; exit 1; fi
docker run -i ${THROWAWAY.join(' ')} --user "$3:$3" --entrypoint node "$2" -e "$4" "$5" <"$c" >"$c.rebuilt"
chown -h -- "$3:$3" "$c.rebuilt"
chmod 600 -- "$c.rebuilt"
mv -f -- "$c.rebuilt" "$c"
docker run ${THROWAWAY.join(' ')} --user "$3:$3" --tmpfs /tmp --tmpfs "/home/node:uid=$3,gid=$3" \\
  -v "$1/config:/home/node/.openclaw:ro" -e OPENCLAW_CONFIG_PATH=/home/node/.openclaw/openclaw.json \\
  --entrypoint node "$2" dist/index.js config validate`;
