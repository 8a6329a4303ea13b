#!/usr/bin/env bash
# testhost.sh: throwaway Debian 12 (or 13) "VPS" test hosts for claw-setup's end-to-end tests.
#
# Each host is a systemd-nspawn container booted with systemd as PID 1 on an overlayfs copy of a
# cached debootstrap image, inside its own network namespace, reachable from this machine only
# (veth 10.77.N.1 <-> 10.77.N.2, no routing, no NAT). Needs root. See README.md beside this file.
#
# Usage: testhost.sh deps | build [--force] [--image IMG] | up NAME [--replace] [--image IMG] [--docker]
#                    | addr NAME IP[/LEN] [--del] | exec NAME [-- CMD...] | info NAME | list
#                    | down NAME [--fast] | down --all [--fast]        (IMG: debian-12 (default) | debian-13)
set -euo pipefail
shopt -s nullglob

TH_CACHE=${TH_CACHE:-/var/cache/claw-setup-testhost}
TH_STATE=${TH_STATE:-/run/claw-setup-testhost}
TH_MIRROR=${TH_MIRROR:-http://deb.debian.org/debian}
TH_SECURITY_MIRROR=${TH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
TH_BOOT_TIMEOUT=${TH_BOOT_TIMEOUT:-60}
TH_STOP_TIMEOUT=${TH_STOP_TIMEOUT:-20}

SELF=$(readlink -f "${BASH_SOURCE[0]}")

HOST_TOOLS=(debootstrap systemd-container zstd dpkg-dev iproute2 openssh-client sshpass)
IMAGE_INCLUDE=openssh-server,sudo,python3,procps,iproute2,ca-certificates,adduser,systemd,systemd-sysv,dbus,iputils-ping,netcat-openbsd,less,nano,curl,passwd,login
# What the offline apt repo inside the Debian 12 image holds (plus everything these depend on).
REPO_PACKAGES_DEBIAN_12=(ufw fail2ban python3-systemd python3-pyinotify whois iptables nftables rsyslog logrotate
  unattended-upgrades apt-listchanges wget gnupg curl ca-certificates apt-transport-https jq)
# Debian 13: the same, plus what the rollout installs with packages.source "distro" (Debian's own
# Docker: docker.io only Recommends docker-cli, so it is listed), caddy, and busybox-static (a static
# binary the tests turn into a tiny Docker image: see makeBusyboxRootfs in testhost.ts).
REPO_PACKAGES_DEBIAN_13=("${REPO_PACKAGES_DEBIAN_12[@]}" sudo docker.io docker-cli containerd runc docker-compose
  tini caddy busybox-static)

DEFAULT_IMAGE=debian-12
KNOWN_IMAGES='debian-12 debian-13'

# Selects the image IMG: sets IMAGE, SUITE, REPO_PACKAGES and the cache paths. Debian 12 keeps the
# original file names (image.tar.zst, rootfs/, image.info, repo-packages.txt, .lock); other images
# add "-IMG" (image-debian-13.tar.zst, rootfs-debian-13/, ...).
set_image() {
  local sfx=''
  IMAGE=$1
  case $IMAGE in
    debian-12) SUITE=bookworm; REPO_PACKAGES=("${REPO_PACKAGES_DEBIAN_12[@]}") ;;
    debian-13) SUITE=trixie; REPO_PACKAGES=("${REPO_PACKAGES_DEBIAN_13[@]}"); sfx=-$IMAGE ;;
    *) die "unknown image '$IMAGE' (known: $KNOWN_IMAGES)" ;;
  esac
  # shellcheck disable=SC2206 # word splitting is the point: a space-separated list of extra packages
  REPO_PACKAGES+=(${TH_EXTRA_PACKAGES:-})
  IMAGE_TAR=$TH_CACHE/image$sfx.tar.zst
  ROOTFS=$TH_CACHE/rootfs$sfx
  IMAGE_INFO=$TH_CACHE/image$sfx.info
  REPO_LIST=$TH_CACHE/repo-packages$sfx.txt
  BUILD_TMP=$TH_CACHE/build$sfx.tmp
  CACHE_LOCK=$TH_CACHE/.lock$sfx
}

log() { printf '[testhost] %s\n' "$*" >&2; }
die() { printf '[testhost] error: %s\n' "$*" >&2; exit 1; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (overlay mounts, network namespaces and systemd-nspawn need it)"
}

valid_name() {
  [[ $1 =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || die "invalid host name '$1' (use a-z, 0-9 and '-', at most 40 chars)"
}

json_str() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# --- locking --------------------------------------------------------------------------------------
# fd 9 guards index allocation and netns setup/teardown; fd 8 guards the image cache.
lock_state() {
  mkdir -p "$TH_STATE"
  exec 9>>"$TH_STATE/.lock"
  flock -w 300 9 || die "timed out waiting for $TH_STATE/.lock"
}
unlock_state() { exec 9>&-; }
lock_cache() {
  mkdir -p "$TH_CACHE"
  exec 8>>"$CACHE_LOCK"
  flock -w 900 8 || die "timed out waiting for $CACHE_LOCK (another build running?)"
}
unlock_cache() { exec 8>&-; }

# --- deps ----------------------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

cmd_deps() {
  require_root
  local missing=() p
  for p in "${HOST_TOOLS[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then
    log "host tools present: ${HOST_TOOLS[*]}"
    return 0
  fi
  log "installing host tools: ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

need_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found: run '$SELF deps' first"
  done
}

# --- build ---------------------------------------------------------------------------------------
instances() {
  local d
  for d in "$TH_STATE"/*/; do
    [ -f "$d/index" ] && basename "$d"
  done
  return 0
}

# The image a host runs on (hosts made before images had names ran on debian-12).
instance_image() {
  local f=$TH_STATE/$1/image
  if [ -f "$f" ]; then cat "$f"; else echo debian-12; fi
}

# The hosts whose lower layer is the rootfs of the image selected by set_image (hosts made before
# the lower was recorded used the Debian 12 rootfs).
instances_of_image() {
  local name lower
  for name in $(instances); do
    lower=$TH_CACHE/rootfs
    [ ! -f "$TH_STATE/$name/lower" ] || lower=$(cat "$TH_STATE/$name/lower")
    [ "$lower" = "$ROOTFS" ] && echo "$name"
  done
  return 0
}

# Run a script inside a (not booted) image tree. Shares the host network: used only at build time,
# with policy-rc.d in place so no package starts a daemon.
in_image() {
  local root=$1 script=$2
  systemd-nspawn -q -D "$root" --register=no --keep-unit --as-pid2 --console=pipe -M th-build \
    --resolv-conf=replace-host --timezone=off --link-journal=no \
    -E DEBIAN_FRONTEND=noninteractive -E LANG=C.UTF-8 -E TH_MIRROR="$TH_MIRROR" -E TH_SUITE="$SUITE" \
    -E TH_SECURITY_MIRROR="$TH_SECURITY_MIRROR" -E TH_REPO_PACKAGES="${REPO_PACKAGES[*]}" \
    /bin/bash -euo pipefail -c "$script" </dev/null
}

write_release() {
  local dir=$1 f
  {
    echo "Origin: claw-setup-testhost"
    echo "Label: claw-setup-testhost offline repo"
    echo "Date: $(LC_ALL=C date -Ru)"
    echo "SHA256:"
    for f in Packages Packages.gz; do
      printf ' %s %s %s\n' "$(sha256sum <"$dir/$f" | cut -d' ' -f1)" "$(stat -c %s "$dir/$f")" "$f"
    done
  } >"$dir/Release"
}

# --image IMG / --image=IMG from the arguments of build and up; the rest goes to REST.
parse_image_arg() {
  local img=$DEFAULT_IMAGE
  REST=()
  while [ $# -gt 0 ]; do
    case $1 in
      --image) [ $# -ge 2 ] || die "--image needs a value ($KNOWN_IMAGES)"; img=$2; shift ;;
      --image=*) img=${1#--image=} ;;
      *) REST+=("$1") ;;
    esac
    shift
  done
  set_image "$img"
}

cmd_build() {
  local force=0 a
  parse_image_arg "$@"
  for a in "${REST[@]}"; do
    case $a in
      --force) force=1 ;;
      *) die "usage: build [--force] [--image IMG]" ;;
    esac
  done
  require_root
  if [ -f "$IMAGE_TAR" ] && [ "$force" = 0 ]; then
    log "image present: $IMAGE_TAR (use 'build --force' to rebuild)"
    return 0
  fi
  cmd_deps
  need_cmd debootstrap systemd-nspawn zstd dpkg-scanpackages
  lock_cache
  if [ -f "$IMAGE_TAR" ] && [ "$force" = 0 ]; then
    log "image present: $IMAGE_TAR (built by a concurrent run)"
    unlock_cache
    return 0
  fi
  if [ -n "$(instances_of_image)" ]; then
    die "test hosts are running on the current $IMAGE image ($(instances_of_image | tr '\n' ' ')): 'down --all' first"
  fi
  local t0 t1 work
  t0=$(now)
  work=$BUILD_TMP
  rm -rf --one-file-system "$work"
  mkdir -p "$work"

  log "debootstrap $SUITE (minbase) from $TH_MIRROR"
  debootstrap --variant=minbase --include="$IMAGE_INCLUDE" "$SUITE" "$work/rootfs" "$TH_MIRROR" >&2
  log "debootstrap done in $(since "$t0")s"

  t1=$(now)
  # shellcheck disable=SC2016 # expanded inside the image, not here
  in_image "$work/rootfs" '
    printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    cat >/etc/apt/sources.list <<EOF
deb $TH_MIRROR $TH_SUITE main
deb $TH_MIRROR $TH_SUITE-updates main
deb $TH_SECURITY_MIRROR $TH_SUITE-security main
EOF
    apt-get update -q
    apt-get -y -q -o Dpkg::Options::=--force-confold upgrade
    apt-get clean
    repo=/var/local/th-apt
    mkdir -p "$repo/partial"
    # 1. exactly what "apt-get install <list>" downloads on this fresh image (Recommends included)
    apt-get -y -q --download-only -o Dir::Cache::archives="$repo" install $TH_REPO_PACKAGES
    rm -rf "$repo/partial" "$repo/lock"
    # 2. plus the listed packages that the image already has (curl, ca-certificates): their
    #    dependencies are installed, so "apt-get install --reinstall" works too. (A full
    #    dependency closure is not wanted: it takes first alternatives such as usrmerge+perl and
    #    doubles the image.)
    cd "$repo"
    want=()
    for p in $TH_REPO_PACKAGES; do
      files=("${p}"_*.deb)
      [ -e "${files[0]}" ] || want+=("$p")
    done
    if [ ${#want[@]} -gt 0 ]; then apt-get download -q -o APT::Sandbox::User=root "${want[@]}"; fi
    cp /etc/apt/sources.list /etc/apt/sources.list.testhost-disabled
  '
  log "upgrade + offline repo download done in $(since "$t1")s"
  rm -rf --one-file-system /run/systemd/nspawn/propagate/th-build

  local repo=$work/rootfs/var/local/th-apt
  (cd "$repo" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null && gzip -9nk Packages)
  write_release "$repo"

  # Turn the tree into a "fresh VPS" template.
  # shellcheck disable=SC2016
  in_image "$work/rootfs" '
    echo "deb [trusted=yes] file:/var/local/th-apt ./" >/etc/apt/sources.list
    rm -rf /var/lib/apt/lists/*
    apt-get update -q
    apt-get clean
    rm -f /usr/sbin/policy-rc.d
    rm -f /etc/ssh/ssh_host_*
    : >/etc/machine-id
    rm -f /var/lib/dbus/machine-id
    ln -s /etc/machine-id /var/lib/dbus/machine-id
    mkdir -p /etc/ssh/sshd_config.d
    echo "PasswordAuthentication yes" >/etc/ssh/sshd_config.d/50-cloud-init.conf
    usermod -p "*" root
    echo "LANG=C.UTF-8" >/etc/default/locale
    echo localhost >/etc/hostname
    printf "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n" >/etc/hosts
    : >/etc/resolv.conf
    rm -rf /tmp/* /var/tmp/* /root/.bash_history
  '
  rm -rf --one-file-system /run/systemd/nspawn/propagate/th-build
  local deb
  for deb in "$repo"/*.deb; do deb=${deb##*/}; echo "${deb%%_*}"; done | sort -u >"$work/repo-packages.txt"

  log "packing image"
  t1=$(now)
  tar --xattrs --xattrs-include='*' --acls --numeric-owner -C "$work/rootfs" -cf - . \
    | zstd -q -T0 -6 -o "$work/image.tar.zst"
  log "tarball done in $(since "$t1")s"

  rm -rf --one-file-system "$ROOTFS"
  mv "$work/rootfs" "$ROOTFS"
  mv "$work/repo-packages.txt" "$REPO_LIST"
  mv -f "$work/image.tar.zst" "$IMAGE_TAR"
  rm -rf --one-file-system "$work"
  {
    echo "image=$IMAGE"
    echo "built=$(date -Is)"
    echo "seconds=$(since "$t0")"
    echo "tarball_bytes=$(stat -c %s "$IMAGE_TAR")"
    echo "rootfs_kb=$(du -sk "$ROOTFS" | cut -f1)"
    echo "repo_kb=$(du -sk "$ROOTFS/var/local/th-apt" | cut -f1)"
  } >"$IMAGE_INFO"
  unlock_cache
  log "$IMAGE image built in $(since "$t0")s: $IMAGE_TAR ($(du -h "$IMAGE_TAR" | cut -f1)), $(wc -l <"$REPO_LIST") packages in the offline repo"
}

ensure_rootfs() {
  [ -d "$ROOTFS/etc" ] && return 0
  [ -f "$IMAGE_TAR" ] || die "no image at $IMAGE_TAR: run '$SELF build --image $IMAGE' first"
  lock_cache
  if [ ! -d "$ROOTFS/etc" ]; then
    local t0
    t0=$(now)
    rm -rf --one-file-system "$ROOTFS" "$ROOTFS.tmp"
    mkdir -p "$ROOTFS.tmp"
    zstd -q -dc "$IMAGE_TAR" | tar --xattrs --xattrs-include='*' --acls --numeric-owner -xpf - -C "$ROOTFS.tmp"
    mv "$ROOTFS.tmp" "$ROOTFS"
    log "extracted image in $(since "$t0")s"
  fi
  unlock_cache
}

# --- instances -----------------------------------------------------------------------------------
inst_dir() { printf '%s/%s' "$TH_STATE" "$1"; }
netns_of() { printf 'testhost-%s' "$1"; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() { if [ -f "$1" ]; then cat "$1" 2>/dev/null || true; fi; }

# Host PID of the container's PID 1: the process in the host's netns whose innermost PID is 1.
find_pid1() {
  local ns p key vals
  ns=/run/netns/$(netns_of "$1")
  [ -e "$ns" ] || return 0
  for p in /proc/[0-9]*; do
    [[ $p/ns/net -ef $ns ]] || continue
    while read -r key vals; do
      if [ "$key" = NSpid: ]; then
        # shellcheck disable=SC2086 # split the PID list
        set -- $vals
        if [ $# -ge 2 ] && [ "${!#}" = 1 ]; then
          printf '%s' "${p#/proc/}"
          return 0
        fi
        break
      fi
    done 2>/dev/null <"$p/status" || true
  done
  return 0
}

info_json() {
  local name=$1 inst n pid1 state=stopped docker=false
  inst=$(inst_dir "$name")
  n=$(cat "$inst/index")
  pid1=$(find_pid1 "$name")
  alive "$(read_pid "$inst/supervisor.pid")" && state=running
  [ -e "$inst/docker" ] && docker=true
  printf '{"name":%s,"index":%s,"ip":"10.77.%s.2","hostIp":"10.77.%s.1","pid1":%s,"knownHosts":%s,"root":%s,"state":"%s","log":%s,"image":%s,"docker":%s}\n' \
    "$(json_str "$name")" "$n" "$n" "$n" "${pid1:-null}" "$(json_str "$inst/known_hosts")" \
    "$(json_str "$inst/merged")" "$state" "$(json_str "$inst/console.log")" \
    "$(json_str "$(instance_image "$name")")" "$docker"
}

alloc_index() {
  local n used=" " d
  for d in "$TH_STATE"/*/index; do used+="$(cat "$d") "; done
  for ((n = 1; n <= 250; n++)); do
    [[ $used == *" $n "* ]] && continue
    ip link show "th${n}h" >/dev/null 2>&1 && continue
    printf '%s' "$n"
    return 0
  done
  die "no free index in 1..250"
}

ssh_probe() {
  local ip=$1 key=$2 kh=$3
  ssh -F /dev/null -i "$key" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=2 \
    -o UserKnownHostsFile="$kh" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=accept-new \
    -o LogLevel=ERROR "root@$ip" true </dev/null >/dev/null 2>&1
}

# Docker inside a host ('up --docker'): a oneshot unit, enabled, that runs before containerd and
# docker and makes the cgroup v1 controllers writable. nspawn mounts them read-only; with
# SYSTEMD_NSPAWN_API_VFS_WRITABLE=1 they can be remounted read-write from inside. Harmless when
# Docker is not installed, and it never fails the boot.
install_docker_support() {
  local root=$1
  install -d -m 755 "$root/usr/local/sbin" "$root/etc/systemd/system/multi-user.target.wants"
  cat >"$root/usr/local/sbin/th-docker-cgroups" <<'UNIT'
#!/bin/sh
# testhost (claw-setup e2e harness): make every cgroup v1 controller except name=systemd writable,
# so dockerd/runc can create their cgroups ("mkdir /sys/fs/cgroup/cpuset/docker: read-only file
# system" otherwise). Needs the host's SYSTEMD_NSPAWN_API_VFS_WRITABLE=1. Always exits 0.
awk '$3 == "cgroup" && $2 ~ "^/sys/fs/cgroup/." && $2 != "/sys/fs/cgroup/systemd" { print $2 }' /proc/self/mounts |
  while read -r dir; do
    mount -o remount,bind,rw "$dir" || echo "th-docker-cgroups: could not remount $dir read-write" >&2
  done
exit 0
UNIT
  chmod 755 "$root/usr/local/sbin/th-docker-cgroups"
  cat >"$root/etc/systemd/system/th-docker-cgroups.service" <<'UNIT'
[Unit]
Description=testhost: writable cgroup v1 controllers for Docker
# Not Before=docker.socket: sockets come before basic.target, which this unit is ordered after.
Before=containerd.service docker.service
ConditionPathIsDirectory=/sys/fs/cgroup

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/th-docker-cgroups

[Install]
WantedBy=multi-user.target
UNIT
  ln -sfn ../th-docker-cgroups.service "$root/etc/systemd/system/multi-user.target.wants/th-docker-cgroups.service"
}

cmd_up() {
  local name='' replace=0 docker=0 a
  parse_image_arg "$@"
  for a in "${REST[@]}"; do
    case $a in
      --replace) replace=1 ;;
      --docker) docker=1 ;;
      -*) die "unknown option $a (usage: up NAME [--replace] [--image IMG] [--docker])" ;;
      *) [ -z "$name" ] || die "usage: up NAME [--replace] [--image IMG] [--docker]"; name=$a ;;
    esac
  done
  [ -n "$name" ] || die "usage: up NAME [--replace] [--image IMG] [--docker]"
  valid_name "$name"
  require_root
  need_cmd systemd-nspawn ip ssh ssh-keygen nsenter
  local pub=${TH_ADMIN_PUBKEY:-}
  [ -n "$pub" ] || die "TH_ADMIN_PUBKEY (path to the admin's public key) is required"
  [ -f "$pub" ] || die "TH_ADMIN_PUBKEY: no such file: $pub"
  local key=${TH_ADMIN_KEY:-${pub%.pub}}
  [ -f "$key" ] || die "TH_ADMIN_KEY: no such private key: $key"

  local t0
  t0=$(now)
  ensure_rootfs
  local inst ns n
  inst=$(inst_dir "$name")
  ns=$(netns_of "$name")
  if [ -e "$inst" ] || [ -e "/run/netns/$ns" ]; then
    [ "$replace" = 1 ] || die "test host '$name' exists: 'down $name' first (or 'up $name --replace')"
    cmd_down "$name"
  fi

  lock_state
  n=$(alloc_index)
  mkdir -p "$inst/upper" "$inst/work" "$inst/merged"
  echo "$n" >"$inst/index"
  echo "$IMAGE" >"$inst/image"
  echo "$ROOTFS" >"$inst/lower"
  # Everything after this point is undone by 'down NAME' if 'up' fails or is interrupted.
  UP_NAME=$name
  trap up_abort EXIT
  trap 'exit 130' INT TERM HUP
  mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$inst/upper,workdir=$inst/work" "$inst/merged"

  ip netns add "$ns"
  ip link add "th${n}h" type veth peer name "th${n}g" netns "$ns"
  ip addr add "10.77.$n.1/24" dev "th${n}h"
  ip link set "th${n}h" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "10.77.$n.2/24" dev "th${n}g"
  ip -n "$ns" link set "th${n}g" up
  unlock_state

  local root=$inst/merged
  if [ "${TH_FAST_HOSTKEYS:-0}" = 1 ]; then
    ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$root/etc/ssh/ssh_host_ed25519_key" >&2
  else
    ssh-keygen -q -A -f "$root" >&2
  fi
  local f
  : >"$inst/known_hosts"
  for f in "$root"/etc/ssh/ssh_host_*_key.pub; do
    printf '10.77.%s.2 %s\n' "$n" "$(cut -d' ' -f1,2 <"$f")" >>"$inst/known_hosts"
  done
  install -d -m 700 "$root/root/.ssh"
  install -m 600 "$pub" "$root/root/.ssh/authorized_keys"
  echo "$name" >"$root/etc/hostname"
  printf '127.0.1.1\t%s\n' "$name" >>"$root/etc/hosts"
  if [ "$docker" = 1 ]; then
    # Docker's data on a plain directory of this machine (removed by 'down'): overlay2 works there,
    # while on the host's overlayfs root dockerd falls back to vfs (a full copy per layer).
    mkdir -p "$inst/docker-data"
    install_docker_support "$root"
    : >"$inst/docker"
  fi

  setsid bash "$SELF" _supervise "$name" </dev/null >>"$inst/console.log" 2>&1 9>&- 8>&- &

  local deadline=$((SECONDS + TH_BOOT_TIMEOUT)) sup=''
  until ssh_probe "10.77.$n.2" "$key" "$inst/known_hosts"; do
    [ -n "$sup" ] || sup=$(read_pid "$inst/supervisor.pid")
    if [ -n "$sup" ] && ! alive "$sup"; then
      tail -n 40 "$inst/console.log" >&2 || true
      die "systemd-nspawn exited during boot (log above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$inst/console.log" >&2 || true
      die "ssh root@10.77.$n.2 did not answer within ${TH_BOOT_TIMEOUT}s (log above)"
    fi
    sleep 0.1
  done
  trap - EXIT INT TERM HUP
  info_json "$name" | tee "$inst/info.json"
  log "up $name (10.77.$n.2) in $(since "$t0")s"
}

UP_NAME=''
# shellcheck disable=SC2317 # called by the EXIT trap only
up_abort() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$rc" != 0 ] && [ -n "$UP_NAME" ]; then
    log "up $UP_NAME failed, tearing it down"
    unlock_state
    (cmd_down "$UP_NAME") || true
  fi
  exit "$rc"
}

# Internal: the supervisor loop, started detached by 'up'. Boots again when nspawn exits with 133
# ("systemctl reboot" inside), unless 'down' asked it to stop.
cmd__supervise() {
  set +e
  local name=$1 inst ns rc=0 boots=0 pid
  inst=$(inst_dir "$name")
  ns=$(netns_of "$name")
  echo $$ >"$inst/supervisor.pid"
  # Docker hosts: all capabilities but CAP_SYS_MODULE (the kernel is shared; without it
  # systemd-modules-load is skipped as on other hosts instead of failing), the keyring syscalls runc
  # needs (the default seccomp filter refuses them: "unable to join session keyring"), bpf,
  # remountable API file systems, and /var/lib/docker on a plain directory.
  local docker_env=() docker_opts=()
  if [ -e "$inst/docker" ]; then
    docker_env=(SYSTEMD_NSPAWN_API_VFS_WRITABLE=1)
    docker_opts=(--capability=all --drop-capability=CAP_SYS_MODULE
      '--system-call-filter=add_key keyctl bpf request_key' "--bind=$inst/docker-data:/var/lib/docker")
  fi
  while :; do
    boots=$((boots + 1))
    echo "[testhost] boot #$boots of $name at $(date -Is)"
    env TERM=dumb "${docker_env[@]}" systemd-nspawn -D "$inst/merged" --register=no --keep-unit -M "$name" \
      --private-network --network-namespace-path="/run/netns/$ns" "${docker_opts[@]}" \
      --console=read-only --link-journal=no --resolv-conf=off --timezone=off -b &
    pid=$!
    echo "$pid" >"$inst/nspawn.pid"
    wait "$pid"
    rc=$?
    echo "[testhost] systemd-nspawn exited with $rc at $(date -Is)"
    [ -e "$inst/stopping" ] && break
    [ "$rc" = 133 ] || break
  done
  rm -f "$inst/nspawn.pid"
  echo "$rc" >"$inst/exit-code"
}

instance_index() {
  local inst=$1
  if [ -f "$inst/index" ]; then cat "$inst/index"; fi
}

cmd_addr() {
  local name=${1:-} addr=${2:-} del=0
  [ -n "$name" ] || die "usage: addr NAME IP[/LEN] [--del]"
  [ -n "$addr" ] || die "usage: addr NAME IP[/LEN] [--del]"
  [ "${3:-}" = --del ] && del=1
  require_root
  local n
  n=$(instance_index "$(inst_dir "$name")")
  [ -n "$n" ] || die "no test host '$name'"
  [[ $addr == */* ]] || addr=$addr/32
  [[ $addr == "10.77.$n."* ]] || log "warning: $addr is outside 10.77.$n.0/24; the host cannot answer it"
  if [ "$del" = 1 ]; then
    ip addr del "$addr" dev "th${n}h" 2>/dev/null || true
  else
    ip addr replace "$addr" dev "th${n}h"
  fi
}

CAP_NAMES=(chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap linux_immutable
  net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner sys_module sys_rawio sys_chroot
  sys_ptrace sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time sys_tty_config mknod lease
  audit_write audit_control setfcap mac_override mac_admin syslog wake_alarm block_suspend audit_read
  perfmon bpf checkpoint_restore)

# "-all,+chown,+kill,..." for setpriv, from the CapBnd of a process.
bounding_set_of() {
  local key val mask=0 i out=-all
  while read -r key val; do [ "$key" = CapBnd: ] && mask=$((16#$val)); done <"/proc/$1/status"
  for i in "${!CAP_NAMES[@]}"; do
    (((mask >> i) & 1)) && out+=",+${CAP_NAMES[$i]}"
  done
  printf '%s' "$out"
}

cmd_exec() {
  local name=${1:-}
  [ -n "$name" ] || die "usage: exec NAME [-- CMD...]"
  shift
  [ "${1:-}" = -- ] && shift
  require_root
  local pid1
  pid1=$(find_pid1 "$name")
  [ -n "$pid1" ] || die "test host '$name' is not running"
  [ $# -gt 0 ] || set -- /bin/bash -l
  # Same capability bounding set as the host's own root (the host process has more, e.g. sys_module).
  exec nsenter -t "$pid1" -a -r -w -- setpriv --bounding-set "$(bounding_set_of "$pid1")" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root USER=root LOGNAME=root \
    LANG=C.UTF-8 TERM="${TERM:-dumb}" "$@"
}

cmd_info() {
  local name=${1:-}
  [ -n "$name" ] || die "usage: info NAME"
  [ -f "$(inst_dir "$name")/index" ] || die "no test host '$name'"
  info_json "$name"
}

cmd_pid1() {
  local pid1
  pid1=$(find_pid1 "${1:?usage: pid1 NAME}")
  [ -n "$pid1" ] || die "test host '$1' is not running"
  echo "$pid1"
}

cmd_list() {
  local name
  for name in $(instances); do info_json "$name"; done
}

stop_instance() {
  local name=$1 fast=$2 inst sup nsp pid1 deadline
  inst=$(inst_dir "$name")
  [ -d "$inst" ] && touch "$inst/stopping"
  sup=$(read_pid "$inst/supervisor.pid")
  nsp=$(read_pid "$inst/nspawn.pid")
  pid1=$(find_pid1 "$name")
  if [ "$fast" = 1 ]; then
    [ -z "$pid1" ] || kill -KILL "$pid1" 2>/dev/null || true
  elif alive "$nsp"; then
    kill -TERM "$nsp" 2>/dev/null || true # nspawn asks the container's systemd for an orderly shutdown
  elif [ -n "$pid1" ]; then
    kill -s SIGRTMIN+4 "$pid1" 2>/dev/null || true # systemd: poweroff
  fi
  deadline=$((SECONDS + TH_STOP_TIMEOUT))
  while alive "$sup" || alive "$nsp"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name: no clean shutdown within ${TH_STOP_TIMEOUT}s, killing"
      pid1=$(find_pid1 "$name")
      [ -z "$pid1" ] || kill -KILL "$pid1" 2>/dev/null || true
      sleep 1
      ! alive "$nsp" || kill -KILL "$nsp" 2>/dev/null || true
      ! alive "$sup" || kill -KILL "$sup" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.05
  done
  # A PID 1 without a supervisor (e.g. the supervisor was killed by hand).
  pid1=$(find_pid1 "$name")
  if [ -n "$pid1" ]; then
    kill -KILL "$pid1" 2>/dev/null || true
    for _ in {1..50}; do alive "$pid1" || break; sleep 0.1; done
  fi
  return 0
}

down_one() {
  local name=$1 fast=$2 inst ns n t0 d
  t0=$(now)
  inst=$(inst_dir "$name")
  ns=$(netns_of "$name")
  n=$(instance_index "$inst")
  stop_instance "$name" "$fast" || true

  if [ -d "$inst/merged" ]; then
    for _ in {1..20}; do
      mountpoint -q "$inst/merged" || break
      umount "$inst/merged" 2>/dev/null || { sleep 0.2; umount -l "$inst/merged" 2>/dev/null || true; }
    done
    mountpoint -q "$inst/merged" && die "$inst/merged is still mounted; not removing $inst"
  fi

  lock_state
  [ ! -e "/run/netns/$ns" ] || ip netns del "$ns" || true
  if [ -n "$n" ] && ip link show "th${n}h" >/dev/null 2>&1; then ip link del "th${n}h" || true; fi
  cleanup_netns_dir
  unlock_state

  d=/run/systemd/nspawn/propagate/$name
  if [ -e "$d" ]; then
    ! mountpoint -q "$d" || umount -l "$d"
    rm -rf --one-file-system "$d"
  fi
  if [ -e "$inst" ]; then
    rm -rf --one-file-system "$inst"
  fi
  log "down $name in $(since "$t0")s"
}

# iproute2 bind-mounts /run/netns onto itself on first use; undo that once no netns is left.
cleanup_netns_dir() {
  [ -d /run/netns ] || return 0
  [ -n "$(ls -A /run/netns)" ] && return 0
  while mountpoint -q /run/netns; do umount /run/netns 2>/dev/null || break; done
  rmdir /run/netns 2>/dev/null || true
}

cmd_down() {
  local fast=0 all=0 name='' a
  for a in "$@"; do
    case $a in
      --fast) fast=1 ;;
      --all) all=1 ;;
      -*) die "unknown option $a" ;;
      *) name=$a ;;
    esac
  done
  require_root
  if [ "$all" = 1 ]; then
    local names=() ns
    mapfile -t names < <(instances; for ns in /run/netns/testhost-*; do basename "$ns" | sed 's/^testhost-//'; done)
    mapfile -t names < <(printf '%s\n' "${names[@]}" | sed '/^$/d' | sort -u)
    local pids=() rc=0 pid
    for name in "${names[@]}"; do
      [[ $name =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || continue
      (down_one "$name" "$fast") &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
    lock_state
    cleanup_netns_dir
    unlock_state
    return "$rc"
  fi
  [ -n "$name" ] || die "usage: down NAME [--fast] | down --all [--fast]"
  valid_name "$name"
  down_one "$name" "$fast"
}

usage() {
  cat <<EOF
usage: $(basename "$0") COMMAND

  deps                      apt-get install the host tools (skips what is present)
  build [--force] [--image IMG]
                            build the cached image IMG if missing (in $TH_CACHE)
  up NAME [--replace] [--image IMG] [--docker]
                            boot a fresh host; prints one JSON line (needs TH_ADMIN_PUBKEY, TH_ADMIN_KEY);
                            --docker: ready for Docker inside (see README.md)
  addr NAME IP[/LEN] [--del]  add (or remove) a source address on the host side of NAME's veth
  exec NAME [-- CMD...]     run CMD inside NAME out of band (nsenter, like a provider's web console)
  info NAME                 print NAME's JSON line
  list                      print one JSON line per host
  down NAME [--fast]        stop NAME and remove everything it left (idempotent)
  down --all [--fast]       stop every host

IMG: $KNOWN_IMAGES (default $DEFAULT_IMAGE)
env: TH_CACHE=$TH_CACHE TH_STATE=$TH_STATE TH_BOOT_TIMEOUT=$TH_BOOT_TIMEOUT
     TH_MIRROR TH_SECURITY_MIRROR TH_EXTRA_PACKAGES TH_FAST_HOSTKEYS=1 TH_STOP_TIMEOUT
EOF
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  case $cmd in
    deps) cmd_deps "$@" ;;
    build) cmd_build "$@" ;;
    up) cmd_up "$@" ;;
    addr) cmd_addr "$@" ;;
    exec) cmd_exec "$@" ;;
    info) cmd_info "$@" ;;
    pid1) cmd_pid1 "$@" ;;
    list) cmd_list "$@" ;;
    down) cmd_down "$@" ;;
    _supervise) cmd__supervise "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# On one line, so that bash has read it whole before running it: a long-running supervisor then
# never reads on into a testhost.sh replaced meanwhile.
main "$@"; exit $?
