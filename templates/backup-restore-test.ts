import type { Answers } from '../src/answers/schema.js';
import { serverPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { imageRef } from './compose.js';
import { OFFSITE_FILE, OFFSITE_PATHS, OFFSITE_TAG, RESTORE_TEST_PATHS } from '../src/plan/backup-paths.js';
import { oneshotSandbox, throwawayRunOptions } from './gateway-shared.js';
import { NOTIFY_FUNCTIONS } from './health.js';

/**
 * The monthly restore test: a backup nobody ever restored is a hope, not a
 * backup. It extracts the newest archive into a scratch directory (the unit's
 * private /tmp) and checks that the compose file is there and openclaw.json
 * parses; with an off-server copy it also reads the newest snapshot back
 * (an age file to the operator's key: the server cannot decrypt it, by design)
 * and checks a sample of the repository. A failure alerts through the health
 * check's targets, like every other check, and fails the unit.
 */

/** /usr/local/sbin/openclaw-restore-test. */
export function renderRestoreTestScript(a: Answers): string {
  const p = serverPaths(a);
  const b = a.backups;
  const src = p.composeDir.replace(/^\/+/, '');
  const CHECK_CONTAINER = shJoin([
    'docker',
    'run',
    '-i',
    ...throwawayRunOptions({ memory: '512m', pids: 64 }),
    '--user',
    '65534:65534',
    '--entrypoint',
    'node',
    imageRef(a),
  ]);
  const offsite = b.offsite
    ? `
# The newest off-server snapshot reads back as an age file (the operator's key decrypts it, off this server).
# One restic job at a time (the nightly backup takes the same lock); stale locks of this host cleared.
exec 9>>"$dest/.offsite.lock"
flock -w 1800 9 || problem "the nightly backup held the off-server lock for 30 minutes"
${OFFSITE_PATHS.wrapper} unlock >/dev/null 2>&1 || true
if ! ${OFFSITE_PATHS.wrapper} dump --quiet latest /${OFFSITE_FILE} --tag ${OFFSITE_TAG} >"$scratch/latest.age"; then
  problem "the newest off-server snapshot cannot be read back (${OFFSITE_PATHS.wrapper} dump latest)"
elif [ "$(head -n 1 "$scratch/latest.age")" != "age-encryption.org/v1" ] || ! grep -aq '^-> X25519 ' "$scratch/latest.age"; then
  problem "the newest off-server snapshot is not an age-encrypted archive"
fi
if ! ${OFFSITE_PATHS.wrapper} check --quiet --read-data-subset=10% >/dev/null; then
  problem "restic check found a problem in the off-server repository"
fi
`
    : '';
  return `#!/usr/bin/env bash
# OpenClaw restore test, written by claw-setup; run monthly by openclaw-restore-test.timer.
# Restores the newest archive of ${b.dir} into a scratch directory and checks it
# holds docker-compose.yml and an openclaw.json that parses${b.offsite ? ';\n# reads the newest off-server snapshot back and checks a sample of the repository' : ''}.
# Alerts through the health check's targets (${p.monitoringEnv}) on failure.
# Run it now with: systemctl start openclaw-restore-test; journalctl -u openclaw-restore-test -n 20
set -uo pipefail
umask 077

dest=${shQuote(b.dir)}
src=${shQuote(src)}
host=$(uname -n)
problems=()
problem() { problems+=("$1"); }

scratch=$(mktemp -d "\${TMPDIR:-/tmp}/openclaw-restore-test.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/tree" || exit 1

newest=$(find "$dest" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
if [ -z "$newest" ]; then
  problem "no archive in $dest to restore"
elif ! tar -tvzf "$newest" >"$scratch/members" 2>/dev/null; then
  problem "$newest does not read back"
else
  # config/ and workspace/ belong to the gateway container: whatever it planted there is archived as
  # it is. Hard links, devices and FIFOs have no business there; symlinks may (npm's node_modules/.bin),
  # but none is extracted or read here: only the two files checked, only as regular files (by tar type).
  odd=$(grep -v '^[-dl]' "$scratch/members" | head -n 3 | cut -c1-160 | tr -c '[:print:]\\n' '?' | tr '\\n' ';')
  [ -z "$odd" ] || problem "$newest holds hard links, devices or FIFOs (planted in the container's directories?): $odd"
  readable=1
  for f in docker-compose.yml config/openclaw.json; do
    types=$(tar -tvzf "$newest" "$src/$f" 2>/dev/null | cut -c1 | sort -u | tr -d '\\n')
    case "$types" in
      -) ;;
      '') problem "$newest holds no /$src/$f"; readable=0 ;;
      *) problem "/$src/$f in $newest is not a regular file (tar type '$types': a link planted in the container's directory?); not extracted, not read"; readable=0 ;;
    esac
  done
  config="$scratch/tree/$src/config/openclaw.json"
  if [ "$readable" = 0 ]; then
    :
  elif ! tar -xzf "$newest" -C "$scratch/tree" --no-same-owner --no-same-permissions -- "$src/docker-compose.yml" "$src/config/openclaw.json"; then
    problem "$newest does not extract"
  elif [ ! -s "$scratch/tree/$src/docker-compose.yml" ]; then
    problem "/$src/docker-compose.yml in $newest is empty"
  elif [ -L "$config" ] || [ ! -f "$config" ] || [ ! -s "$config" ]; then
    problem "/$src/config/openclaw.json in $newest is empty or not a regular file"
  elif ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$config" 2>/dev/null &&
    ! ${CHECK_CONTAINER} -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{JSON.parse(s)}catch{require("json5").parse(s)}})' <"$config" >/dev/null 2>&1; then
    # JSON5 (comments, trailing commas) is OpenClaw's format too: parsed in a throwaway container of the
    # gateway image with no network and nothing mounted, never in the live gateway (it may be hostile).
    problem "openclaw.json in $newest does not parse"
  fi
fi
${offsite}${NOTIFY_FUNCTIONS}
if [ "\${#problems[@]}" -gt 0 ]; then
  summary=$(printf '%s\\n' "\${problems[@]}")
  notify "OpenClaw on $host: the monthly restore test failed" "$summary" warning ||
    echo "openclaw-restore-test: could not deliver the alert" >&2
  printf 'openclaw-restore-test: FAIL %s\\n' "\${problems[@]}" >&2
  exit 1
fi
date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-restore-test"
echo "$newest" >>"$dest/last-restore-test"
echo "openclaw-restore-test: $newest restores: docker-compose.yml present, openclaw.json parses${b.offsite ? '; the newest off-server snapshot reads back' : ''}"
`;
}

/** openclaw-restore-test.service: root, read-only except the scratch /tmp, the stamp in the backup dir and restic's cache. */
export function renderRestoreTestService(a: Answers): string {
  const dir = a.backups.dir;
  const off = a.backups.offsite ? `\nCacheDirectory=${OFFSITE_PATHS.cacheDir.replace(/^\/var\/cache\//, '')}\nCacheDirectoryMode=0700` : '';
  return `# Written by claw-setup.
[Unit]
Description=OpenClaw monthly restore test of the newest backup
Documentation=file://${RESTORE_TEST_PATHS.script}
After=docker.service

[Service]
Type=oneshot
EnvironmentFile=-${serverPaths(a).monitoringEnv}
ExecStart=${RESTORE_TEST_PATHS.script}
UMask=0077
Nice=10
IOSchedulingClass=idle${off}
${oneshotSandbox(a.backups.offsite ? [dir, OFFSITE_PATHS.dir] : [dir])}
# Reads the archives and the config (root-owned); extracts as root without changing owners.
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
`;
}

/** openclaw-restore-test.timer: monthly (the 1st, 05:00 server clock), caught up after downtime. */
export function renderRestoreTestTimer(): string {
  return `# Written by claw-setup.
[Unit]
Description=Monthly OpenClaw restore test

[Timer]
OnCalendar=*-*-01 05:00:00
Persistent=true
RandomizedDelaySec=1h

[Install]
WantedBy=timers.target
`;
}
