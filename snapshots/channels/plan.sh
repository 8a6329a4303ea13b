#!/usr/bin/env bash
# claw-setup 0.1.0: plan for root@203.0.113.10:22
# Planned without a connection, for a fresh Ubuntu 24.04 LTS server (--os to change). Operator IP: 203.0.113.77.
# Steps: preflight, base, user, login-gate, firewall, ssh, fail2ban, docker, egress, openclaw, access, backups, verify.
# Secrets appear as <secret:NAME>: their values only ever reach a process's stdin or a mode-600 file.
# Commands run on the server as root. GATE lines are checks; those marked "from your laptop" run
# over a brand-new SSH connection and must pass before anything after them runs.
set -euo pipefail
umask 077
# Every file is written by claw_write MODE OWNER GROUP PATH: built in a root-only directory, renamed into place (never through a link).
claw_write() ( claw_tmpdir() { cd_=${1%/*}; cd_=${cd_:-/}; ct_=$cd_; me_=$(id -u); if [ -L "$cd_" ] || [ ! -d "$cd_" ]; then echo "claw-setup: $cd_ is not a directory (a symlink or missing): refusing to write $1 through it" >&2; return 1; fi; until [ ! -L "$ct_" ] && [ "$(stat -c %u -- "$ct_")" = "$me_" ] && [ $((0$(stat -c %a -- "$ct_") & 022)) = 0 ]; do [ "$ct_" != / ] || { echo "claw-setup: no directory above $1 that only root can write" >&2; return 1; }; ct_=${ct_%/*}; ct_=${ct_:-/}; done; [ "$(stat -c %d -- "$ct_")" = "$(stat -c %d -- "$cd_")" ] || { echo "claw-setup: $ct_ (root-only) is on another file system than $1: cannot rename into place" >&2; return 1; }; mktemp -d "$ct_/.claw-tmp.XXXXXX"; }; t=$(claw_tmpdir "$4") || exit 1; trap 'rm -rf -- "$t"' EXIT; trap 'exit 1' HUP INT TERM; install -m "$1" -o "$2" -g "$3" /dev/stdin "$t/new" && mv -fT -- "$t/new" "$4" )

# ═══ Step 1/13: preflight — Preflight checks
#     Ubuntu 24.04 LTS (assumed); checks systemd and the current sshd config; undoes only what an interrupted earlier run left armed
# GATE (on the server): systemd is PID 1 (the dead-man switch needs systemd-run)
test -d /run/systemd/system || exit 1
# GATE (on the server): the current sshd config is valid, so a reload cannot break it
sshd -t || exit 1
# create the claw-setup state directory (root only)
if ! { test -d /var/lib/claw-setup; } >/dev/null 2>&1; then
  install -d -m 0700 /var/lib/claw-setup
fi
# restore what an interrupted earlier run left armed (its dead-man switch was never disarmed)
if ! { sh -c '! grep -qsxE '\''armed|restoring'\'' /var/lib/claw-setup/deadman/*/state'; } >/dev/null 2>&1; then
  sh -c 'rc=0; for s in /var/lib/claw-setup/deadman/*/deadman.sh; do [ -f "$s" ] || continue; /bin/sh "$s" restore stale || rc=1; done; exit "$rc"'
fi

# ═══ Step 2/13: base — Base packages and unattended upgrades
#     apt install ca-certificates curl gnupg sudo ufw fail2ban python3-systemd unattended-upgrades apt-listchanges
#     pending security updates install now, then daily, no automatic reboot
# refresh package lists
if ! { sh -c 'for p in ca-certificates curl gnupg sudo ufw fail2ban python3-systemd unattended-upgrades apt-listchanges; do dpkg-query -W -f='\''${Status}'\'' "$p" 2>/dev/null | grep -q '\''ok installed'\'' || exit 1; done'; } >/dev/null 2>&1; then
  env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q update
fi
# install base packages
if ! { sh -c 'for p in ca-certificates curl gnupg sudo ufw fail2ban python3-systemd unattended-upgrades apt-listchanges; do dpkg-query -W -f='\''${Status}'\'' "$p" 2>/dev/null | grep -q '\''ok installed'\'' || exit 1; done'; } >/dev/null 2>&1; then
  env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install --no-install-recommends ca-certificates curl gnupg sudo ufw fail2ban python3-systemd unattended-upgrades apt-listchanges
fi
# turn on daily unattended upgrades (mode 0644, root:root)
claw_write 0644 root root /etc/apt/apt.conf.d/20auto-upgrades <<'CLAW_EOF'
// Written by claw-setup.
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT::Periodic::AutocleanInterval "7";
CLAW_EOF
# unattended-upgrades origins (security, Docker) and reboot policy (mode 0644, root:root)
claw_write 0644 root root /etc/apt/apt.conf.d/52claw-setup-unattended-upgrades <<'CLAW_EOF'
// Written by claw-setup for Ubuntu 24.04 (noble).
// Its security updates are allowed by the stock 50unattended-upgrades;
// this adds the repositories claw-setup installed from.
Unattended-Upgrade::Origins-Pattern {
    "origin=Docker,label=Docker CE";
};
Unattended-Upgrade::Remove-Unused-Dependencies "true";
Unattended-Upgrade::Automatic-Reboot "false";
CLAW_EOF
# install the pending security updates now
if ! { sh -c '! apt-get -s -o Debug::NoLocking=true upgrade 2>/dev/null | grep -qi '\''^Inst .*security'\'''; } >/dev/null 2>&1; then
  unattended-upgrade
fi

# ═══ Step 3/13: user — Deploy user "deploy"
#     creates deploy with sudo (password required) and 1 authorized key(s)
# create user deploy
if ! { id -u deploy; } >/dev/null 2>&1; then
  useradd --create-home --user-group --shell /bin/bash deploy
fi
# add deploy to the sudo group
if ! { sh -c 'id -nG deploy | tr '\'' '\'' '\''\n'\'' | grep -qx sudo'; } >/dev/null 2>&1; then
  usermod -aG sudo deploy
fi
# set deploy's sudo password (on stdin, never in argv)
if ! { sh -c 'passwd -S deploy | awk '\''{ exit ($2 == "P") ? 0 : 1 }'\'''; } >/dev/null 2>&1; then
  chpasswd <<'CLAW_EOF'
deploy:<secret:SUDO_PASSWORD>
CLAW_EOF
fi
# create /home/deploy/.ssh
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/.ssh 2>/dev/null)" = "700 $(id -u deploy)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o deploy -g deploy /home/deploy/.ssh
fi
# authorized keys for deploy (mode 0600, deploy:deploy)
claw_write 0600 deploy deploy /home/deploy/.ssh/authorized_keys <<'CLAW_EOF'
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA0Nk10j5tE6Ti2y4h5ZMpiepRBVwezoTrBfGkuZpqr0 operator@laptop
CLAW_EOF

# ═══ Step 4/13: login-gate — Fresh-login gate
#     logs in as deploy from a brand-new connection with only your key, then checks sudo
# GATE (from your laptop, fresh connection): log in as deploy from a fresh connection and run sudo
#   ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o IdentitiesOnly=yes -i '~/.ssh/id_ed25519' -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes -o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o LogLevel=ERROR -o ConnectTimeout=15 -p 22 -l deploy -- 203.0.113.10 'sudo -S -k -p '\'''\'' true'  # sudo password on stdin

# ═══ Step 5/13: firewall — Firewall (guarded)
#     ufw: deny incoming, allow SSH 22/tcp (rate-limited) and always from 203.0.113.77 (break-glass)
#     auto-reverts in 180 s unless a fresh login passes
# ┌─ GUARDED: turn on the firewall
# │ dead-man switch: the server restores /etc/ufw, /etc/default/ufw after 180s
# │ unless every gate below passes from a fresh connection.
# │ skipped whole when this passes: sh -c 'ufw status verbose | grep -q '\''^Status: active'\'' && ufw status verbose | grep -q '\''deny (incoming)'\'' && ufw show added | grep -qF -- '\''22'\'' && ufw show added | grep -qF -- "from 203.0.113.77"'
# prepare /var/lib/claw-setup/deadman/firewall
if ! { test -d /var/lib/claw-setup/deadman/firewall; } >/dev/null 2>&1; then
  install -d -m 0700 /var/lib/claw-setup/deadman/firewall
fi
# dead-man script for firewall (mode 0700, root:root)
claw_write 0700 root root /var/lib/claw-setup/deadman/firewall/deadman.sh <<'CLAW_EOF'
#!/bin/sh
# claw-setup dead-man switch for "firewall".
# Files: /etc/ufw /etc/default/ufw
# Usage: deadman.sh backup | arm SECONDS | disarm | restore REASON
set -u
# from /: GNU cp 9.1's "cp -a --parents" resolves the parent directories against the working directory
cd / || exit 1
dir='/var/lib/claw-setup/deadman/firewall'
paths='/etc/ufw /etc/default/ufw'
unit='claw-setup-deadman-firewall'
boot='claw-setup-deadman-boot@firewall.service'

say() {
  echo "claw-setup dead-man firewall: $*" >&2
  logger -t claw-setup "dead-man switch firewall: $*" 2>/dev/null || true
}
state() { cat "$dir/state" 2>/dev/null || echo none; }
set_state() { echo "$1" > "$dir/state.new" && mv -f "$dir/state.new" "$dir/state"; }
lock() { exec 9>>"$dir/lock" && flock -w 300 9; }
claw_tmpdir() { cd_=${1%/*}; cd_=${cd_:-/}; ct_=$cd_; me_=$(id -u); if [ -L "$cd_" ] || [ ! -d "$cd_" ]; then echo "claw-setup: $cd_ is not a directory (a symlink or missing): refusing to write $1 through it" >&2; return 1; fi; until [ ! -L "$ct_" ] && [ "$(stat -c %u -- "$ct_")" = "$me_" ] && [ $((0$(stat -c %a -- "$ct_") & 022)) = 0 ]; do [ "$ct_" != / ] || { echo "claw-setup: no directory above $1 that only root can write" >&2; return 1; }; ct_=${ct_%/*}; ct_=${ct_:-/}; done; [ "$(stat -c %d -- "$ct_")" = "$(stat -c %d -- "$cd_")" ] || { echo "claw-setup: $ct_ (root-only) is on another file system than $1: cannot rename into place" >&2; return 1; }; mktemp -d "$ct_/.claw-tmp.XXXXXX"; }
claw_put() { if [ -d "$2" ] && [ ! -L "$2" ]; then rm -rf -- "$2" || return 1; fi; mv -fT -- "$1" "$2"; }
# cp -a copies a symlink or FIFO as what it is (never reads through it). Only regular files and
# directories are compared by content (diff would open a FIFO and wait for a writer); the timeout
# stops a diff that a FIFO swapped in meanwhile would hang.
same_copy() {
  if [ -L "$1" ] || { [ ! -f "$1" ] && [ ! -d "$1" ]; }; then [ "$(stat -c %F -- "$1")" = "$(stat -c %F -- "$2")" ]
  else timeout 30 diff -r --no-dereference -- "$1" "$2"; fi
}

case "${1:-}" in
  backup)
    lock || exit 1
    case "$(state)" in
      armed|restoring)
        # The backup of an interrupted run is the only good copy: never overwrite it with a half-applied state.
        say "refusing a new backup: still $(state) from an earlier run; run 'restore stale' first"
        exit 3 ;;
    esac
    rm -rf "$dir/files" "$dir/manifest" "$dir/manifest.new"
    mkdir -p "$dir/files" || exit 1
    : > "$dir/manifest.new" || exit 1
    # shellcheck disable=SC2086 # the list is ours and space-separated on purpose
    for p in $paths; do
      if [ -e "$p" ] || [ -L "$p" ]; then
        if ! cp -a --parents "$p" "$dir/files/" || ! same_copy "$p" "$dir/files$p" >/dev/null 2>&1; then
          say "backup of $p failed or differs from the original; nothing will be changed"
          exit 1
        fi
        echo "present $p" >> "$dir/manifest.new"
      else
        echo "absent $p" >> "$dir/manifest.new"
      fi
    done
    echo complete >> "$dir/manifest.new" && mv -f "$dir/manifest.new" "$dir/manifest" || exit 1
    set_state backed-up
    ;;
  arm)
    lock || exit 1
    secs=${2:?seconds}
    if [ "$(state)" != backed-up ] || ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      say "cannot arm: no complete backup (state $(state))"
      exit 3
    fi
    systemctl stop "$unit.timer" "$unit.service" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    set_state armed
    if systemctl enable --quiet "$boot" && systemd-run --quiet --unit="$unit" --description="claw-setup dead-man switch (firewall)" \
      --on-active="$secs" --timer-property=AccuracySec=1s /bin/sh "$dir/deadman.sh" restore timer; then
      say "armed: restores in ${secs}s unless disarmed"
    else
      set_state backed-up
      systemctl disable --quiet "$boot" 2>/dev/null
      say "could not arm the timer; nothing was changed"
      exit 1
    fi
    ;;
  disarm)
    lock || exit 1
    systemctl stop "$unit.timer" 2>/dev/null
    if [ "$(state)" != armed ]; then
      say "too late to disarm: the restore already ran (state $(state))"
      exit 3
    fi
    set_state disarmed
    systemctl disable --quiet "$boot" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    true
    ;;
  restore)
    why=${2:-now}
    lock || exit 1
    case "$(state)" in
      armed|restoring) ;;
      *) say "restore ($why): nothing to do (state $(state))"; exit 0 ;;
    esac
    set_state restoring
    # Only what the manifest can put back is touched: a missing or cut-short backup deletes nothing.
    if ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      set_state broken
      say "restore ($why) refused: the backup manifest is missing or incomplete; left every file as it is"
      exit 4
    fi
    rc=0
    while read -r what p; do
      case "$what" in
        present)
          if [ -e "$dir/files$p" ] || [ -L "$dir/files$p" ]; then
            # Built in a root-only directory, renamed into place: never a name in $p's own directory,
            # which the gateway container may own (config/) and could swap for a symlink meanwhile.
            if t=$(claw_tmpdir "$p") && cp -a "$dir/files$p" "$t/copy" && claw_put "$t/copy" "$p"; then :; else
              say "could not put $p back"
              rc=1
            fi
            [ -z "${t:-}" ] || rm -rf -- "$t"
            t=
          else
            say "the backup of $p is missing: left $p as it is"
            rc=1
          fi ;;
        absent) rm -rf "$p" ;;
      esac
    done < "$dir/manifest"
    if grep -q "^ENABLED=yes" /etc/ufw/ufw.conf; then ufw --force reload; else ufw --force disable; fi
    if [ "$rc" = 0 ]; then set_state restored; else set_state broken; fi
    systemctl disable --quiet "$boot" 2>/dev/null
    [ "$why" = timer ] || systemctl stop "$unit.timer" 2>/dev/null
    say "restored ($why)$([ "$rc" = 0 ] || echo ', with files left as they were (see above)')"
    exit "$rc"
    ;;
  *)
    echo "usage: $0 backup | arm SECONDS | disarm | restore REASON" >&2
    exit 2
    ;;
esac
CLAW_EOF
# boot-time restore for groups left armed across a reboot (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/claw-setup-deadman-boot@.service <<'CLAW_EOF'
[Unit]
Description=claw-setup: restore dead-man group %i left armed across a reboot
After=network.target ssh.service ufw.service
ConditionPathExists=/var/lib/claw-setup/deadman/%i/deadman.sh

[Service]
Type=oneshot
ExecStart=/bin/sh /var/lib/claw-setup/deadman/%i/deadman.sh restore boot

[Install]
WantedBy=multi-user.target
CLAW_EOF
# back up /etc/ufw, /etc/default/ufw (every copy checked, with a manifest)
/bin/sh /var/lib/claw-setup/deadman/firewall/deadman.sh backup
# arm dead-man switch: restore in 180s unless disarmed (also at boot)
/bin/sh /var/lib/claw-setup/deadman/firewall/deadman.sh arm 180
# deny incoming by default
ufw default deny incoming
# allow outgoing by default
ufw default allow outgoing
# break-glass: always let 203.0.113.77 reach SSH on 22
ufw allow proto tcp from 203.0.113.77 to any port 22 comment 'claw-setup break-glass'
# allow SSH on 22 (rate-limited)
ufw limit 22/tcp comment 'claw-setup ssh'
# enable ufw
ufw --force enable
# GATE (from your laptop, fresh connection): log in as deploy from a fresh connection through the firewall
#   ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o IdentitiesOnly=yes -i '~/.ssh/id_ed25519' -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes -o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o LogLevel=ERROR -o ConnectTimeout=15 -p 22 -l deploy -- 203.0.113.10 true
# disarm dead-man switch firewall
/bin/sh /var/lib/claw-setup/deadman/firewall/deadman.sh disarm
# │ if any of this fails: /bin/sh /var/lib/claw-setup/deadman/firewall/deadman.sh restore now
# └─ end of guarded group firewall

# ═══ Step 6/13: ssh — SSH tightening (guarded)
#     keys only, no root login, AllowUsers deploy, port 22, MaxAuthTries 3, forwarding local; no NIST-curve, SHA-1 or 64-bit-tag algorithms, no DH moduli under 3072 bits
#     drop-in 00-claw-setup.conf beats 50-cloud-init.conf; sshd -t, reload (never restart); auto-reverts in 230 s
# ┌─ GUARDED: tighten sshd
# │ dead-man switch: the server restores /etc/ssh/sshd_config.d/00-claw-setup.conf, /etc/ssh/moduli after 230s
# │ unless every gate below passes from a fresh connection.
# │ skipped whole when this passes: sh -c '[ "$(stat -c '\''%a %U %G'\'' /etc/ssh/sshd_config.d/00-claw-setup.conf 2>/dev/null)" = '\''644 root root'\'' ] && echo ca63ce357b2a80e742d99de9872cfcd0309bcc32f5ef915db7c229c171cc9bea'\''  '\''/etc/ssh/sshd_config.d/00-claw-setup.conf | sha256sum -c --status'
# prepare /var/lib/claw-setup/deadman/ssh
if ! { test -d /var/lib/claw-setup/deadman/ssh; } >/dev/null 2>&1; then
  install -d -m 0700 /var/lib/claw-setup/deadman/ssh
fi
# dead-man script for ssh (mode 0700, root:root)
claw_write 0700 root root /var/lib/claw-setup/deadman/ssh/deadman.sh <<'CLAW_EOF'
#!/bin/sh
# claw-setup dead-man switch for "ssh".
# Files: /etc/ssh/sshd_config.d/00-claw-setup.conf /etc/ssh/moduli
# Usage: deadman.sh backup | arm SECONDS | disarm | restore REASON
set -u
# from /: GNU cp 9.1's "cp -a --parents" resolves the parent directories against the working directory
cd / || exit 1
dir='/var/lib/claw-setup/deadman/ssh'
paths='/etc/ssh/sshd_config.d/00-claw-setup.conf /etc/ssh/moduli'
unit='claw-setup-deadman-ssh'
boot='claw-setup-deadman-boot@ssh.service'

say() {
  echo "claw-setup dead-man ssh: $*" >&2
  logger -t claw-setup "dead-man switch ssh: $*" 2>/dev/null || true
}
state() { cat "$dir/state" 2>/dev/null || echo none; }
set_state() { echo "$1" > "$dir/state.new" && mv -f "$dir/state.new" "$dir/state"; }
lock() { exec 9>>"$dir/lock" && flock -w 300 9; }
claw_tmpdir() { cd_=${1%/*}; cd_=${cd_:-/}; ct_=$cd_; me_=$(id -u); if [ -L "$cd_" ] || [ ! -d "$cd_" ]; then echo "claw-setup: $cd_ is not a directory (a symlink or missing): refusing to write $1 through it" >&2; return 1; fi; until [ ! -L "$ct_" ] && [ "$(stat -c %u -- "$ct_")" = "$me_" ] && [ $((0$(stat -c %a -- "$ct_") & 022)) = 0 ]; do [ "$ct_" != / ] || { echo "claw-setup: no directory above $1 that only root can write" >&2; return 1; }; ct_=${ct_%/*}; ct_=${ct_:-/}; done; [ "$(stat -c %d -- "$ct_")" = "$(stat -c %d -- "$cd_")" ] || { echo "claw-setup: $ct_ (root-only) is on another file system than $1: cannot rename into place" >&2; return 1; }; mktemp -d "$ct_/.claw-tmp.XXXXXX"; }
claw_put() { if [ -d "$2" ] && [ ! -L "$2" ]; then rm -rf -- "$2" || return 1; fi; mv -fT -- "$1" "$2"; }
# cp -a copies a symlink or FIFO as what it is (never reads through it). Only regular files and
# directories are compared by content (diff would open a FIFO and wait for a writer); the timeout
# stops a diff that a FIFO swapped in meanwhile would hang.
same_copy() {
  if [ -L "$1" ] || { [ ! -f "$1" ] && [ ! -d "$1" ]; }; then [ "$(stat -c %F -- "$1")" = "$(stat -c %F -- "$2")" ]
  else timeout 30 diff -r --no-dereference -- "$1" "$2"; fi
}

case "${1:-}" in
  backup)
    lock || exit 1
    case "$(state)" in
      armed|restoring)
        # The backup of an interrupted run is the only good copy: never overwrite it with a half-applied state.
        say "refusing a new backup: still $(state) from an earlier run; run 'restore stale' first"
        exit 3 ;;
    esac
    rm -rf "$dir/files" "$dir/manifest" "$dir/manifest.new"
    mkdir -p "$dir/files" || exit 1
    : > "$dir/manifest.new" || exit 1
    # shellcheck disable=SC2086 # the list is ours and space-separated on purpose
    for p in $paths; do
      if [ -e "$p" ] || [ -L "$p" ]; then
        if ! cp -a --parents "$p" "$dir/files/" || ! same_copy "$p" "$dir/files$p" >/dev/null 2>&1; then
          say "backup of $p failed or differs from the original; nothing will be changed"
          exit 1
        fi
        echo "present $p" >> "$dir/manifest.new"
      else
        echo "absent $p" >> "$dir/manifest.new"
      fi
    done
    echo complete >> "$dir/manifest.new" && mv -f "$dir/manifest.new" "$dir/manifest" || exit 1
    set_state backed-up
    ;;
  arm)
    lock || exit 1
    secs=${2:?seconds}
    if [ "$(state)" != backed-up ] || ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      say "cannot arm: no complete backup (state $(state))"
      exit 3
    fi
    systemctl stop "$unit.timer" "$unit.service" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    set_state armed
    if systemctl enable --quiet "$boot" && systemd-run --quiet --unit="$unit" --description="claw-setup dead-man switch (ssh)" \
      --on-active="$secs" --timer-property=AccuracySec=1s /bin/sh "$dir/deadman.sh" restore timer; then
      say "armed: restores in ${secs}s unless disarmed"
    else
      set_state backed-up
      systemctl disable --quiet "$boot" 2>/dev/null
      say "could not arm the timer; nothing was changed"
      exit 1
    fi
    ;;
  disarm)
    lock || exit 1
    systemctl stop "$unit.timer" 2>/dev/null
    if [ "$(state)" != armed ]; then
      say "too late to disarm: the restore already ran (state $(state))"
      exit 3
    fi
    set_state disarmed
    systemctl disable --quiet "$boot" 2>/dev/null
    systemctl reset-failed "$unit.timer" "$unit.service" 2>/dev/null
    true
    ;;
  restore)
    why=${2:-now}
    lock || exit 1
    case "$(state)" in
      armed|restoring) ;;
      *) say "restore ($why): nothing to do (state $(state))"; exit 0 ;;
    esac
    set_state restoring
    # Only what the manifest can put back is touched: a missing or cut-short backup deletes nothing.
    if ! tail -n 1 "$dir/manifest" 2>/dev/null | grep -qx complete; then
      set_state broken
      say "restore ($why) refused: the backup manifest is missing or incomplete; left every file as it is"
      exit 4
    fi
    rc=0
    while read -r what p; do
      case "$what" in
        present)
          if [ -e "$dir/files$p" ] || [ -L "$dir/files$p" ]; then
            # Built in a root-only directory, renamed into place: never a name in $p's own directory,
            # which the gateway container may own (config/) and could swap for a symlink meanwhile.
            if t=$(claw_tmpdir "$p") && cp -a "$dir/files$p" "$t/copy" && claw_put "$t/copy" "$p"; then :; else
              say "could not put $p back"
              rc=1
            fi
            [ -z "${t:-}" ] || rm -rf -- "$t"
            t=
          else
            say "the backup of $p is missing: left $p as it is"
            rc=1
          fi ;;
        absent) rm -rf "$p" ;;
      esac
    done < "$dir/manifest"
    sshd -t && systemctl reload ssh
    if [ "$rc" = 0 ]; then set_state restored; else set_state broken; fi
    systemctl disable --quiet "$boot" 2>/dev/null
    [ "$why" = timer ] || systemctl stop "$unit.timer" 2>/dev/null
    say "restored ($why)$([ "$rc" = 0 ] || echo ', with files left as they were (see above)')"
    exit "$rc"
    ;;
  *)
    echo "usage: $0 backup | arm SECONDS | disarm | restore REASON" >&2
    exit 2
    ;;
esac
CLAW_EOF
# boot-time restore for groups left armed across a reboot (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/claw-setup-deadman-boot@.service <<'CLAW_EOF'
[Unit]
Description=claw-setup: restore dead-man group %i left armed across a reboot
After=network.target ssh.service ufw.service
ConditionPathExists=/var/lib/claw-setup/deadman/%i/deadman.sh

[Service]
Type=oneshot
ExecStart=/bin/sh /var/lib/claw-setup/deadman/%i/deadman.sh restore boot

[Install]
WantedBy=multi-user.target
CLAW_EOF
# back up /etc/ssh/sshd_config.d/00-claw-setup.conf, /etc/ssh/moduli (every copy checked, with a manifest)
/bin/sh /var/lib/claw-setup/deadman/ssh/deadman.sh backup
# arm dead-man switch: restore in 230s unless disarmed (also at boot)
/bin/sh /var/lib/claw-setup/deadman/ssh/deadman.sh arm 230
# sshd drop-in (sorts before 50-cloud-init.conf) (mode 0644, root:root)
claw_write 0644 root root /etc/ssh/sshd_config.d/00-claw-setup.conf <<'CLAW_EOF'
# Written by claw-setup. Loaded before 50-cloud-init.conf, and the first value wins.
# Check with: sshd -t && sshd -T | grep -Ei 'passwordauth|permitroot|port|allowusers'
# Key-only login for deploy; root and passwords are refused.
# AllowTcpForwarding local: the SSH tunnel to the gateway (ssh -L) needs local forwarding.
Port                         22
PermitRootLogin              no
PasswordAuthentication       no
KbdInteractiveAuthentication no
PubkeyAuthentication         yes
AuthenticationMethods        publickey
PermitEmptyPasswords         no
MaxAuthTries                 3
LoginGraceTime               30
X11Forwarding                no
AllowAgentForwarding         no
AllowTcpForwarding           local
AllowStreamLocalForwarding   no
PermitTunnel                 no
AllowUsers                   deploy
ClientAliveInterval          300
ClientAliveCountMax          2
UsePAM                       yes
LogLevel                     VERBOSE
# Weak algorithms are removed from OpenSSH's defaults ("-" list), none are pinned:
# new ones still arrive with OS updates. See: sshd -T | grep -E '^(kexalgorithms|hostkeyalgorithms|macs) '
# Removed: NIST P-curve ECDH (ssh-audit: fail) and the 2048-bit group14.
KexAlgorithms                -ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group14-sha256
# Removed: ECDSA host keys (NIST P-curves; ssh-audit: fail); ed25519 and RSA stay.
HostKeyAlgorithms            -ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com
# Removed: 64-bit tags, SHA-1 and encrypt-and-MAC (non-ETM); the ETM MACs stay.
MACs                         -umac-64-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1
CLAW_EOF
# drop Diffie-Hellman moduli under 3072 bits from /etc/ssh/moduli
if ! { sh -c '[ ! -f "$1" ] || ! awk '\''!/^#/ && NF >= 7 { if ($5 + 0 < 3071) small++; else big++ } END { exit small && big ? 0 : 1 }'\'' "$1"' sh /etc/ssh/moduli; } >/dev/null 2>&1; then
  sh -c 'set -eu; f=$1; t=$(mktemp "$f.XXXXXX"); trap '\''rm -f "$t"'\'' EXIT; awk '\''/^#/ || $5 + 0 >= 3071'\'' "$f" > "$t"; if awk '\''!/^#/ && NF >= 7 { n++ } END { exit n ? 0 : 1 }'\'' "$t"; then chmod --reference="$f" "$t" && chown --reference="$f" "$t" && mv -f "$t" "$f"; else echo "$f: no modulus of 3072 bits or more, left as it is" >&2; fi' sh /etc/ssh/moduli
fi
# check the new sshd config (nothing is reloaded if this fails)
sshd -t
# reload sshd (open sessions stay up)
systemctl reload ssh
# GATE (from your laptop, fresh connection): log in as deploy on port 22 from a fresh connection, then sudo
#   ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o IdentitiesOnly=yes -i '~/.ssh/id_ed25519' -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes -o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o LogLevel=ERROR -o ConnectTimeout=15 -p 22 -l deploy -- 203.0.113.10 'sudo -S -k -p '\'''\'' true'  # sudo password on stdin
# GATE (on the server): sshd reports the hardened values
sh -c 'c=$(sshd -T -C user=deploy,host=localhost,addr=127.0.0.1) && echo "$c" | grep -qx '\''permitrootlogin no'\'' && echo "$c" | grep -qx '\''passwordauthentication no'\'' && echo "$c" | grep -qx '\''kbdinteractiveauthentication no'\'' && echo "$c" | grep -qx '\''port 22'\'' && echo "$c" | grep -qx '\''allowusers deploy'\''' || exit 1
# GATE (from your laptop, fresh connection): root login is refused from outside
#   ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o IdentitiesOnly=yes -i '~/.ssh/id_ed25519' -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes -o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o LogLevel=ERROR -o ConnectTimeout=15 -p 22 -l root -- 203.0.113.10 true  # must be refused
# GATE (from your laptop, fresh connection): password login is refused from outside
#   ssh -T -o ControlMaster=no -o ControlPath=none -v -o PreferredAuthentications=password,keyboard-interactive -o NumberOfPasswordPrompts=0 -o PubkeyAuthentication=no -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o IdentitiesOnly=yes -i '~/.ssh/id_ed25519' -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes -o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o ConnectTimeout=15 -p 22 -l deploy -- 203.0.113.10 true  # must be refused
# disarm dead-man switch ssh
/bin/sh /var/lib/claw-setup/deadman/ssh/deadman.sh disarm
# │ if any of this fails: /bin/sh /var/lib/claw-setup/deadman/ssh/deadman.sh restore now
# └─ end of guarded group ssh
# NOTE: log in from now on with: ssh -p 22 deploy@203.0.113.10 (root and password logins are off)

# ═══ Step 7/13: fail2ban — fail2ban
#     sshd jail: 5 failures in 10m → banned for 1h; never bans 203.0.113.77
# fail2ban sshd jail (backend systemd, ignoreip) (mode 0644, root:root)
claw_write 0644 root root /etc/fail2ban/jail.d/claw-setup.local <<'CLAW_EOF'
# Written by claw-setup. Rerun claw-setup to change it.
# ignoreip: loopback, the operator's address (never banned).

[DEFAULT]
ignoreip = 127.0.0.1/8 ::1 203.0.113.77
bantime  = 1h
findtime = 10m
maxretry = 5

[sshd]
enabled = true
port    = 22
backend = systemd
CLAW_EOF
# enable fail2ban at boot
if ! { systemctl is-enabled --quiet fail2ban; } >/dev/null 2>&1; then
  systemctl enable fail2ban
fi
# restart fail2ban to load the jail (only when a file above changed)
systemctl restart fail2ban
# start fail2ban if it is not running
if ! { systemctl is-active --quiet fail2ban; } >/dev/null 2>&1; then
  systemctl start fail2ban
fi
# GATE (on the server): the sshd jail is active (retried up to 15 times, 1s apart)
fail2ban-client status sshd || exit 1

# ═══ Step 8/13: docker — Docker Engine
#     docker-ce and the compose plugin from download.docker.com (ubuntu noble), signed-by its key
# make the keyring directory
if ! { test -d /etc/apt/keyrings; } >/dev/null 2>&1; then
  install -d -m 0755 /etc/apt/keyrings
fi
# fetch the signing key into /etc/apt/keyrings/docker.asc
if ! { test -s /etc/apt/keyrings/docker.asc; } >/dev/null 2>&1; then
  curl -fsSL --proto =https --tlsv1.2 -o /etc/apt/keyrings/docker.asc https://download.docker.com/linux/ubuntu/gpg
fi
# make the keyring readable by apt
if ! { sh -c '[ "$(stat -c %a /etc/apt/keyrings/docker.asc)" = 644 ]'; } >/dev/null 2>&1; then
  chmod 0644 /etc/apt/keyrings/docker.asc
fi
# Docker's apt source (signed-by its keyring) (mode 0644, root:root)
claw_write 0644 root root /etc/apt/sources.list.d/docker.sources <<'CLAW_EOF'
# Docker CE, added by claw-setup.
Types: deb
URIs: https://download.docker.com/linux/ubuntu
Suites: noble
Components: stable
Signed-By: /etc/apt/keyrings/docker.asc
CLAW_EOF
# create /etc/docker
if ! { test -d /etc/docker; } >/dev/null 2>&1; then
  install -d -m 0755 /etc/docker
fi
# Docker daemon settings (log rotation, live-restore, no-new-privileges) (mode 0644, root:root)
claw_write 0644 root root /etc/docker/daemon.json <<'CLAW_EOF'
{
  "log-driver": "json-file",
  "log-opts": {
    "max-size": "10m",
    "max-file": "3"
  },
  "live-restore": true,
  "no-new-privileges": true,
  "icc": false
}
CLAW_EOF
# refresh package lists
if ! { sh -c 'for p in docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin; do dpkg-query -W -f='\''${Status}'\'' "$p" 2>/dev/null | grep -q '\''ok installed'\'' || exit 1; done'; } >/dev/null 2>&1; then
  env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q update
fi
# install Docker Engine and the compose plugin
if ! { sh -c 'for p in docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin; do dpkg-query -W -f='\''${Status}'\'' "$p" 2>/dev/null | grep -q '\''ok installed'\'' || exit 1; done'; } >/dev/null 2>&1; then
  env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install --no-install-recommends docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin
fi
# start Docker and enable it at boot
if ! { sh -c 'systemctl is-enabled --quiet docker && systemctl is-active --quiet docker'; } >/dev/null 2>&1; then
  systemctl enable --now docker
fi
# apply daemon settings (only when a file above changed)
systemctl restart docker

# ═══ Step 9/13: egress — Container egress rules
#     the gateway container (br-openclaw) reaches the public internet and DNS; never the metadata service, private or CGNAT ranges
#     the host itself refuses new connections from the container (replies to the host, Caddy and Tailscale Serve pass)
# the egress rules (iptables and ip6tables) (mode 0700, root:root)
claw_write 0700 root root /usr/local/sbin/claw-setup-egress <<'CLAW_EOF'
#!/bin/bash
# claw-setup-egress, written by claw-setup. Rerun claw-setup to change it.
#
# What the OpenClaw gateway container (bridge br-openclaw) may reach. The container is untrusted:
# an LLM reads strangers' messages in it and npm plugins run in it. So it must not reach the cloud
# metadata service (the server's credentials, cloud-init user-data), the private networks, the
# tailnet, or the host itself (sshd, anything listening on a host address).
#
#   CLAW-EGRESS (first in DOCKER-USER): traffic the host forwards for the container. Only
#     RETURN (Docker's own rules decide next) or DROP: it never lets through what Docker refuses.
#   CLAW-HOST (first in INPUT, ahead of ufw's chains): traffic from the container to any
#     address of the host. New connections are dropped; replies to connections the host opened
#     (the published 127.0.0.1 ports, Caddy, Tailscale Serve) pass.
# DNS to the host's nameservers stays open: Docker's embedded resolver forwards the container's
# queries from the container's own network namespace.
#
# Usage: claw-setup-egress           apply (atomic per table; systemd runs it before Docker starts,
#                                    and again on every restart of Docker)
#        claw-setup-egress --check   exit 0 only when the live rules are these (the audit, reruns)
set -uo pipefail
umask 077

bridge=br-openclaw
mode=public
# From openclaw.egress.allow, validated by claw-setup: "RANGE PORT" (port "-": every port; a port
# opens TCP and UDP). Read through namerefs in rules().
# shellcheck disable=SC2034
allow4=()
# shellcheck disable=SC2034
allow6=()
# shellcheck disable=SC2034
block4=(0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16 168.63.129.16/32)
# shellcheck disable=SC2034
block6=(fc00::/7 fe80::/10)

# The nameservers Docker's resolver forwards to: /etc/resolv.conf, or systemd-resolved's upstreams
# when that names only 127.0.0.53. Loopback ones are left out (the container cannot reach them
# anyway), and anything that is not a plain address.
resolv_files=(/etc/resolv.conf /run/systemd/resolve/resolv.conf)
nameservers() {
  local f
  for f in "${resolv_files[@]}"; do
    [ -r "$f" ] && awk '$1 == "nameserver" { print $2 }' "$f"
  done | sort -u | while read -r ns; do
    if [ "$1" = 4 ]; then
      [[ $ns =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ && $ns != 127.* ]] && echo "$ns/32"
    else
      [[ $ns =~ ^[0-9a-fA-F:]+$ && $ns == *:*:* && $ns != ::1 ]] && echo "$ns/128"
    fi
  done
}

# The rules of family $1, one per line: "CHAIN MATCH... -j TARGET".
rules() {
  local fam=$1 ns cidr port p e
  local -n allow=allow$fam block=block$fam
  echo "CLAW-EGRESS -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN"
  # Between containers on the gateway's own network: Docker's rules decide.
  echo "CLAW-EGRESS -o $bridge -j RETURN"
  echo "CLAW-HOST -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN"
  if [ "$fam" = 6 ]; then
    # Neighbour discovery with the bridge: without it no IPv6 at all on an IPv6 network.
    for p in router-solicitation neighbour-solicitation neighbour-advertisement; do
      echo "CLAW-HOST -p ipv6-icmp -m icmp6 --icmpv6-type $p -j RETURN"
    done
  fi
  for ns in $(nameservers "$fam"); do
    for p in udp tcp; do
      echo "CLAW-EGRESS -d $ns -p $p -m $p --dport 53 -j RETURN"
      echo "CLAW-HOST -d $ns -p $p -m $p --dport 53 -j ACCEPT"
    done
  done
  # The allow-list goes before the drops. To the host itself it accepts (the operator asked for
  # exactly this), which ufw's default deny would otherwise refuse.
  for e in "${allow[@]}"; do
    read -r cidr port <<<"$e"
    if [ "$port" = - ]; then
      echo "CLAW-EGRESS -d $cidr -j RETURN"
      echo "CLAW-HOST -d $cidr -j ACCEPT"
    else
      for p in tcp udp; do
        echo "CLAW-EGRESS -d $cidr -p $p -m $p --dport $port -j RETURN"
        echo "CLAW-HOST -d $cidr -p $p -m $p --dport $port -j ACCEPT"
      done
    fi
  done
  if [ "$mode" = allowlist ]; then
    echo "CLAW-EGRESS -j DROP"
  else
    for cidr in "${block[@]}"; do echo "CLAW-EGRESS -d $cidr -j DROP"; done
  fi
  echo "CLAW-HOST -j DROP"
}

# Rule $3 (a jump) is the first of chain $2 in family $1's filter table (moved there when not).
first() {
  local ipt=$1 chain=$2 spec=$3
  [ "$($ipt -w -S "$chain" 2>/dev/null | sed -n 2p)" = "-A $chain $spec" ] && return 0
  [ "$check" = 1 ] && { echo "$ipt: '$spec' is not the first rule of $chain"; return 1; }
  # shellcheck disable=SC2086 # $spec is our own words, split on purpose
  while $ipt -w -D "$chain" $spec 2>/dev/null; do :; done
  # shellcheck disable=SC2086
  $ipt -w -I "$chain" 1 $spec
}

# Applies (or checks) family $1 with the iptables command $2.
family() {
  local fam=$1 ipt=$2 r ok=0 want have
  if ! $ipt -w -n -L INPUT >/dev/null 2>&1; then
    echo "$ipt: not available (no IPv$fam firewall in this kernel): skipped"
    return 0
  fi
  local all
  all=$(rules "$fam")
  if [ "$check" = 1 ]; then
    for c in CLAW-EGRESS CLAW-HOST; do
      want=$(grep -c "^$c " <<<"$all")
      have=$($ipt -w -S "$c" 2>/dev/null | grep -c '^-A ')
      [ "$want" = "$have" ] || { echo "$ipt: $c has $have rules, want $want"; ok=1; }
    done
    while read -r r; do
      # shellcheck disable=SC2086 # a rule line is words, split on purpose
      $ipt -w -C $r 2>/dev/null || { echo "$ipt: missing rule: $r"; ok=1; }
    done <<<"$all"
  else
    # One restore per table: each chain is replaced whole, never seen half-written.
    { echo '*filter'; echo ":CLAW-EGRESS - [0:0]"; echo ":CLAW-HOST - [0:0]"; awk '{ print "-A " $0 }' <<<"$all"; echo COMMIT; } |
      "$ipt-restore" -w --noflush || { echo "$ipt-restore failed"; return 1; }
    # Docker creates DOCKER-USER and the jump to it when it starts, and keeps what is in it; this
    # runs before Docker, so make both now (without ip6tables support in Docker, only we do).
    $ipt -w -n -L DOCKER-USER >/dev/null 2>&1 || $ipt -w -N DOCKER-USER || ok=1
    $ipt -w -C FORWARD -j DOCKER-USER 2>/dev/null || $ipt -w -I FORWARD 1 -j DOCKER-USER || ok=1
  fi
  first "$ipt" DOCKER-USER "-i $bridge -j CLAW-EGRESS" || ok=1
  first "$ipt" INPUT "-i $bridge -j CLAW-HOST" || ok=1
  [ "$ok" = 0 ] && echo "$ipt: $(grep -c '^CLAW-EGRESS ' <<<"$all") rules in CLAW-EGRESS, $(grep -c '^CLAW-HOST ' <<<"$all") in CLAW-HOST (mode $mode)"
  return "$ok"
}

case ${1:-} in
  --check) check=1 ;;
  '') check=0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
rc=0
family 4 iptables || rc=1
family 6 ip6tables || rc=1
exit "$rc"
CLAW_EOF
# claw-setup-egress.service (before Docker, again on each restart of Docker) (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/claw-setup-egress.service <<'CLAW_EOF'
# Written by claw-setup: what the OpenClaw container may reach (/usr/local/sbin/claw-setup-egress).
[Unit]
Description=claw-setup: egress and host firewall rules for the OpenClaw container
# Before Docker starts any container, so none ever runs without these rules; after ufw has made
# its chains, so ours come first in INPUT. A restart of Docker restarts this unit (PartOf), which
# puts the rules back first in their chains.
After=ufw.service
Before=docker.service
PartOf=docker.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/claw-setup-egress

[Install]
WantedBy=multi-user.target docker.service
CLAW_EOF
# claw-setup-egress-dns.path (the rules follow the host's nameservers) (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/claw-setup-egress-dns.path <<'CLAW_EOF'
# Written by claw-setup: the egress rules allow DNS to the host's nameservers by address, so
# they are applied again whenever the files naming those nameservers change (DHCP, systemd-resolved).
[Unit]
Description=claw-setup: re-apply the container egress rules when the host's nameservers change

[Path]
PathChanged=/etc/resolv.conf
PathChanged=/run/systemd/resolve/resolv.conf
Unit=claw-setup-egress-dns.service

[Install]
WantedBy=multi-user.target
CLAW_EOF
# claw-setup-egress-dns.service (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/claw-setup-egress-dns.service <<'CLAW_EOF'
# Written by claw-setup: started by claw-setup-egress-dns.path when the nameservers change.
[Unit]
Description=claw-setup: re-apply the container egress rules (the nameservers changed)
After=claw-setup-egress.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/claw-setup-egress
CLAW_EOF
# reload systemd units (only when a file above changed)
systemctl daemon-reload
# enable claw-setup-egress.service (at boot and with Docker)
if ! { systemctl is-enabled --quiet claw-setup-egress.service; } >/dev/null 2>&1; then
  systemctl enable claw-setup-egress.service
fi
# watch the nameservers (claw-setup-egress-dns.path)
if ! { sh -c 'systemctl is-enabled --quiet claw-setup-egress-dns.path && systemctl is-active --quiet claw-setup-egress-dns.path'; } >/dev/null 2>&1; then
  systemctl enable --now claw-setup-egress-dns.path
fi
# apply the egress rules now
if ! { /usr/local/sbin/claw-setup-egress --check; } >/dev/null 2>&1; then
  systemctl restart claw-setup-egress.service
fi

# ═══ Step 10/13: openclaw — OpenClaw 2026.9.6
#     ghcr.io/openclaw/openclaw:2026.9.6 on 127.0.0.1:18789 only; token auth; 4 channel(s); 7 tools denied
#     files in /home/deploy/openclaw (.env and openclaw.json mode 600)
#     the container runs as its own uid 10000 on a read-only root, capped at 2g / 512 processes / 1 CPU; web terminal off; sshd guarded against it
# create /etc/systemd/system/ssh.service.d
if ! { test -d /etc/systemd/system/ssh.service.d; } >/dev/null 2>&1; then
  install -d -m 0755 /etc/systemd/system/ssh.service.d
fi
# ssh.service outlives the container: OOM score -900, CPU weight, reserved memory (mode 0644, root:root)
if ! { sh -c '[ "$(stat -c '\''%a %U %G'\'' /etc/systemd/system/ssh.service.d/claw-setup-guard.conf 2>/dev/null)" = '\''644 root root'\'' ] && echo 7dfb9ff40d31012252de51ca597750384ed3eff05e4fd8a999add5ea8867d37b'\''  '\''/etc/systemd/system/ssh.service.d/claw-setup-guard.conf | sha256sum -c --status'; } >/dev/null 2>&1; then
  claw_write 0644 root root /etc/systemd/system/ssh.service.d/claw-setup-guard.conf <<'CLAW_EOF'
# Written by claw-setup: the OpenClaw container must not be able to starve ssh.service.
# Rerun claw-setup to change it. systemctl show ssh.service shows the values in effect.
[Service]
OOMScoreAdjust=-900
CPUWeight=1000
MemoryMin=64M
CLAW_EOF
fi
# reload systemd; lower the OOM score of the running ssh.service now (only when a file above changed)
sh -c 'systemctl daemon-reload; for u in "$@"; do pid=$(systemctl show -p MainPID --value "$u") || continue; [ "${pid:-0}" -gt 0 ] || continue; cur=$(cat "/proc/$pid/oom_score_adj") || continue; [ "$cur" -le -900 ] || echo -900 2>/dev/null >"/proc/$pid/oom_score_adj" || echo "$u: oom_score_adj stays $cur until its next start (no CAP_SYS_RESOURCE here)" >&2; done' sh ssh.service
# reserve uid/gid 10000 for the container (nologin account claw-agent; not the deploy user's uid)
if ! { sh -c '[ "$(getent passwd "$2" | cut -d: -f3,4,7)" = "$1:$1:/usr/sbin/nologin" ] && [ "$(getent group "$2" | cut -d: -f3)" = "$1" ]' sh 10000 claw-agent; } >/dev/null 2>&1; then
  sh -c 'set -eu; id=$1 name=$2; clash() { echo "claw-setup: $1; the OpenClaw container needs uid and gid $id for itself (account $name). Free them, then rerun." >&2; exit 1; }; u=$(getent passwd "$id" | cut -d: -f1) || true; g=$(getent group "$id" | cut -d: -f1) || true; [ -z "$u" ] || [ "$u" = "$name" ] || clash "uid $id belongs to user $u"; [ -z "$g" ] || [ "$g" = "$name" ] || clash "gid $id belongs to group $g"; nu=$(getent passwd "$name" | cut -d: -f3) || true; ng=$(getent group "$name" | cut -d: -f3) || true; [ -z "$nu" ] || [ "$nu" = "$id" ] || clash "user $name exists with uid $nu"; [ -z "$ng" ] || [ "$ng" = "$id" ] || clash "group $name exists with gid $ng"; [ -n "$g" ] || groupadd --system --gid "$id" "$name"; [ -n "$u" ] || useradd --system --uid "$id" --gid "$id" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment "OpenClaw gateway container (claw-setup)" "$name"' sh 10000 claw-agent
fi
# create /home/deploy/openclaw (owner deploy, 700)
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/openclaw 2>/dev/null)" = "700 $(id -u deploy)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o deploy -g deploy /home/deploy/openclaw
fi
# create /home/deploy/openclaw/config (uid 10000, 700)
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/openclaw/config 2>/dev/null)" = "700 $(id -u 10000)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o 10000 -g 10000 /home/deploy/openclaw/config
fi
# create /home/deploy/openclaw/workspace (uid 10000, 700)
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/openclaw/workspace 2>/dev/null)" = "700 $(id -u 10000)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o 10000 -g 10000 /home/deploy/openclaw/workspace
fi
# give everything in /home/deploy/openclaw/config to uid 10000 (an older version ran the container as 1000; links are changed, never followed)
if ! { sh -c '[ -z "$(find -P "$1" -xdev \( ! -uid 10000 -o ! -gid 10000 \) -print -quit 2>/dev/null)" ]' sh /home/deploy/openclaw/config; } >/dev/null 2>&1; then
  sh -c 'docker stop --time 30 openclaw-gateway >/dev/null 2>&1 || true; chown -R -h -P 10000:10000 -- "$1"' sh /home/deploy/openclaw/config
fi
# give everything in /home/deploy/openclaw/workspace to uid 10000 (an older version ran the container as 1000; links are changed, never followed)
if ! { sh -c '[ -z "$(find -P "$1" -xdev \( ! -uid 10000 -o ! -gid 10000 \) -print -quit 2>/dev/null)" ]' sh /home/deploy/openclaw/workspace; } >/dev/null 2>&1; then
  sh -c 'docker stop --time 30 openclaw-gateway >/dev/null 2>&1 || true; chown -R -h -P 10000:10000 -- "$1"' sh /home/deploy/openclaw/workspace
fi
# create /home/deploy/openclaw/config/workspace (the workspace volume's mount point) as uid 10000, before Docker makes it root's
if ! { sh -c '[ -e "$1" ] || [ -L "$1" ]' sh /home/deploy/openclaw/config/workspace; } >/dev/null 2>&1; then
  sh -c 'mkdir -m 700 -- "$1" && chown -h 10000:10000 -- "$1"' sh /home/deploy/openclaw/config/workspace
fi
# secrets for the container (.env, mode 600) (mode 0600, deploy:deploy)
claw_write 0600 deploy deploy /home/deploy/openclaw/.env <<'CLAW_EOF'
# OpenClaw gateway environment, written by claw-setup.
# Holds secrets: keep it mode 600, owned by the deploy user. Never commit it or paste it anywhere.
# Rerun `claw-setup` (or `claw-setup add-channel`) to change it.
OPENCLAW_GATEWAY_TOKEN='<secret:OPENCLAW_GATEWAY_TOKEN>'
ANTHROPIC_API_KEY='<secret:ANTHROPIC_API_KEY>'
GEMINI_API_KEY='<secret:GEMINI_API_KEY>'
DISCORD_BOT_TOKEN='<secret:DISCORD_BOT_TOKEN>'
SLACK_APP_TOKEN='<secret:SLACK_APP_TOKEN>'
SLACK_BOT_TOKEN='<secret:SLACK_BOT_TOKEN>'
TELEGRAM_BOT_TOKEN='<secret:TELEGRAM_BOT_TOKEN>'
TZ=UTC
CLAW_EOF
# record when the gateway token was made (the audit warns when it is old; claw-setup rotate renews it)
if ! { test -e /var/lib/claw-setup/rotated/OPENCLAW_GATEWAY_TOKEN; } >/dev/null 2>&1; then
  sh -c 'install -d -m 700 "${1%/*}" && date -u +%Y-%m-%dT%H:%M:%SZ >"$1"' sh /var/lib/claw-setup/rotated/OPENCLAW_GATEWAY_TOKEN
fi
# docker-compose.yml (ports on 127.0.0.1 only) (mode 0600, deploy:deploy)
claw_write 0600 deploy deploy /home/deploy/openclaw/docker-compose.yml <<'CLAW_EOF'
# OpenClaw gateway, written by claw-setup. Rerun claw-setup to change it.
#
# - Ports are published on 127.0.0.1 only: Docker's published ports bypass ufw, so
#   nothing here may listen on a public address. Reach the gateway through the SSH
#   tunnel, Tailscale Serve or Caddy, which all connect to 127.0.0.1.
# - Inside the container the gateway binds "lan" (0.0.0.0), because container
#   loopback is unreachable through port publishing.
# - Secrets come from .env (mode 600) through env_file; openclaw.json refers to them.
# - The container is untrusted (it reads strangers' messages, installs npm plugins): it runs
#   as its own uid 10000 (not the deploy user's), on a read-only root file system with
#   small tmpfs for /tmp and its home, and with memory, process and CPU caps and a raised OOM
#   score, so under pressure the kernel kills it, not sshd.
# - The Docker socket is never mounted: it is root on the host. Tool sandboxing is
#   configured in openclaw.json (agents.defaults.sandbox), but OpenClaw's Docker
#   sandbox backend cannot start containers without the socket, so risky tools
#   (exec, process, ...) stay denied. That is the deliberate, safe trade-off.

name: "openclaw"
services:
  openclaw-gateway:
    image: "ghcr.io/openclaw/openclaw:2026.9.6"
    container_name: "openclaw-gateway"
    hostname: "openclaw-gateway"
    command:
      - "node"
      - "dist/index.js"
      - "gateway"
      - "--bind"
      - "lan"
      - "--port"
      - "18789"
    env_file:
      - ".env"
    environment:
      HOME: "/home/node"
      NODE_OPTIONS: "--max-old-space-size=1536"
    ports:
      - "127.0.0.1:18789:18789"
      - "127.0.0.1:18790:18790"
    volumes:
      - "./config:/home/node/.openclaw"
      - "./workspace:/home/node/.openclaw/workspace"
    user: "10000:10000"
    read_only: true
    tmpfs:
      - "/tmp:rw,noexec,nosuid,nodev,size=256m,mode=1777,uid=10000,gid=10000"
      - "/home/node:rw,noexec,nosuid,nodev,size=512m,mode=0700,uid=10000,gid=10000"
    init: true
    restart: "unless-stopped"
    stop_grace_period: "30s"
    security_opt:
      - "no-new-privileges:true"
    cap_drop:
      - "ALL"
    mem_limit: "2g"
    pids_limit: 512
    cpus: 1
    cpu_shares: 512
    oom_score_adj: 500
    logging:
      driver: "json-file"
      options:
        max-size: "10m"
        max-file: "3"
    healthcheck:
      test:
        - "CMD"
        - "node"
        - "-e"
        - "fetch('http://127.0.0.1:18789/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
      interval: "30s"
      timeout: "10s"
      retries: 3
      start_period: "60s"
    networks:
      - "openclaw"
networks:
  openclaw:
    driver: "bridge"
    driver_opts:
      com.docker.network.bridge.name: "br-openclaw"
    ipam:
      config:
        - subnet: "172.31.240.0/24"
          gateway: "172.31.240.1"
CLAW_EOF
# openclaw.json (mode 0600, 10000:10000)
claw_write 0600 10000 10000 /home/deploy/openclaw/config/openclaw.json <<'CLAW_EOF'
{
  "gateway": {
    "mode": "local",
    "bind": "lan",
    "port": 18789,
    "auth": {
      "mode": "token",
      "token": {
        "source": "env",
        "provider": "default",
        "id": "OPENCLAW_GATEWAY_TOKEN"
      },
      "rateLimit": {
        "maxAttempts": 10,
        "windowMs": 60000,
        "lockoutMs": 300000,
        "exemptLoopback": true
      }
    },
    "controlUi": {
      "allowedOrigins": [
        "http://localhost:18789",
        "http://127.0.0.1:18789"
      ]
    },
    "terminal": {
      "enabled": false
    }
  },
  "discovery": {
    "mdns": {
      "mode": "off"
    }
  },
  "session": {
    "dmScope": "per-channel-peer"
  },
  "tools": {
    "profile": "messaging",
    "deny": [
      "group:automation",
      "group:runtime",
      "group:fs",
      "group:nodes",
      "group:ui",
      "sessions_spawn",
      "sessions_send"
    ],
    "elevated": {
      "enabled": false
    },
    "fs": {
      "workspaceOnly": true
    },
    "sessions": {
      "visibility": "agent"
    },
    "agentToAgent": {
      "enabled": false
    },
    "exec": {
      "security": "deny",
      "ask": "always"
    }
  },
  "agents": {
    "defaults": {
      "model": {
        "primary": "anthropic/claude-opus-5",
        "fallbacks": [
          "google/gemini-3.1-pro-preview"
        ]
      },
      "sandbox": {
        "mode": "off"
      }
    }
  },
  "channels": {
    "telegram": {
      "enabled": true,
      "dmPolicy": "allowlist",
      "allowFrom": [
        "123456789",
        "987654321"
      ],
      "botToken": {
        "source": "env",
        "provider": "default",
        "id": "TELEGRAM_BOT_TOKEN"
      },
      "groupPolicy": "allowlist",
      "groupAllowFrom": [
        "123456789",
        "987654321"
      ],
      "groups": {
        "*": {
          "requireMention": true
        }
      }
    },
    "whatsapp": {
      "enabled": true,
      "dmPolicy": "allowlist",
      "allowFrom": [
        "+15555550123"
      ],
      "groupPolicy": "allowlist",
      "groupAllowFrom": [
        "+15555550123"
      ],
      "groups": {
        "*": {
          "requireMention": true
        }
      }
    },
    "discord": {
      "enabled": true,
      "dmPolicy": "pairing",
      "allowFrom": [
        "123456789012345678"
      ],
      "token": {
        "source": "env",
        "provider": "default",
        "id": "DISCORD_BOT_TOKEN"
      },
      "groupPolicy": "allowlist",
      "guilds": {
        "223456789012345678": {
          "requireMention": false,
          "users": [
            "123456789012345678"
          ]
        }
      }
    },
    "slack": {
      "enabled": true,
      "dmPolicy": "allowlist",
      "allowFrom": [
        "U0123ABCDEF"
      ],
      "mode": "socket",
      "botToken": {
        "source": "env",
        "provider": "default",
        "id": "SLACK_BOT_TOKEN"
      },
      "appToken": {
        "source": "env",
        "provider": "default",
        "id": "SLACK_APP_TOKEN"
      },
      "groupPolicy": "allowlist",
      "requireMention": true,
      "channels": {
        "C0123ABCDEF": {
          "requireMention": true,
          "users": [
            "U0123ABCDEF"
          ]
        }
      }
    }
  },
  "plugins": {
    "entries": {
      "whatsapp": {
        "enabled": true
      },
      "discord": {
        "enabled": true
      },
      "slack": {
        "enabled": true
      }
    }
  }
}
CLAW_EOF
# pull ghcr.io/openclaw/openclaw:2026.9.6
if ! { docker image inspect --format '{{.Id}}' ghcr.io/openclaw/openclaw:2026.9.6; } >/dev/null 2>&1; then
  docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml pull --quiet
fi
# GATE (on the server): OpenClaw accepts the config (its own validator) (only when this run changed something)
docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml run --rm --no-deps -T openclaw-gateway node dist/index.js config validate || exit 1
# (re)create the gateway with the new files (only when a file above changed)
docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml up -d --force-recreate --remove-orphans
# start the gateway if it is not running
if ! { sh -c 'docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml ps --status running --quiet openclaw-gateway | grep -q .'; } >/dev/null 2>&1; then
  docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml up -d
fi
# GATE (on the server): the gateway answers /healthz on 127.0.0.1 (retried up to 60 times, 2s apart)
curl -fsS --max-time 5 -o /dev/null http://127.0.0.1:18789/healthz || exit 1

# ═══ Step 11/13: access — Access to the Control UI
#     SSH tunnel: nothing is exposed, nothing to install
# NOTE: open a tunnel: ssh -N -L 18789:127.0.0.1:18789 -p 22 deploy@203.0.113.10
# NOTE: then browse to http://localhost:18789/
# NOTE: the gateway token is in /home/deploy/openclaw/.env (OPENCLAW_GATEWAY_TOKEN); read it with: ssh -p 22 deploy@203.0.113.10 sudo grep OPENCLAW_GATEWAY_TOKEN /home/deploy/openclaw/.env

# ═══ Step 12/13: backups — Backups
#     daily at 03:00 UTC into /var/backups/openclaw, each archive verified, kept 14 days; restore-tested monthly
# create /var/backups/openclaw (root only)
if ! { test -d /var/backups/openclaw; } >/dev/null 2>&1; then
  install -d -m 0700 /var/backups/openclaw
fi
# openclaw-backup script (mode 0700, root:root)
claw_write 0700 root root /usr/local/sbin/openclaw-backup <<'CLAW_EOF'
#!/usr/bin/env bash
# OpenClaw backup, written by claw-setup; run daily by openclaw-backup.timer.
# Archives /home/deploy/openclaw (compose file, .env, config/, workspace/) into
# /var/backups/openclaw/openclaw-<UTC time>.tar.gz, checks that the archive reads back,
# deletes archives older than 14 days.
# Only when all of it worked, stamps /var/backups/openclaw/last-success
# (openclaw-health alerts when that stamp gets old). Any failure exits non-zero.
# Paths in the archive are relative to /, so a restore is `claw-setup restore`, or by hand
# (gateway stopped first): tar -xzf /var/backups/openclaw/openclaw-<UTC time>.tar.gz -C /
# Usage: openclaw-backup [--local-only]
set -euo pipefail
umask 077

# With no off-server copy configured, --local-only changes nothing.
local_only=no
# shellcheck disable=SC2034
case "${1:-}" in
  --local-only) local_only=yes ;;
  '') ;;
  *)
    echo "usage: $0 [--local-only]" >&2
    exit 2
    ;;
esac

src=home/deploy/openclaw
dest=/var/backups/openclaw
keep_days=14

fail() {
  echo "openclaw-backup: FAILED: $*" >&2
  exit 1
}

[ -d "/$src" ] || fail "/$src does not exist: nothing to back up"
# Only a directory this script creates is made root-only; an existing one keeps
# its owner and mode (it may be shared, and a root-only parent locks logins out).
[ -d "$dest" ] || install -d -m 0700 "$dest"

archive="$dest/openclaw-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
partial="$archive.partial"
trap 'rm -f "$partial"' EXIT

# GNU tar exits 1 when a file changed while it was read (the gateway keeps
# running); the archive is still written, and the read-back below decides.
status=0
tar --create --gzip --file "$partial" --directory / "$src" || status=$?
if [ "$status" -gt 1 ]; then
  fail "tar exited with status $status"
elif [ "$status" -eq 1 ]; then
  echo "openclaw-backup: warning: some files changed while they were archived" >&2
fi

# Reading the whole archive back checks every gzip block and tar header.
tar -tzf "$partial" >/dev/null || fail "$partial does not read back; no archive kept"
mv "$partial" "$archive"
trap - EXIT

find "$dest" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -mtime +"$keep_days" -delete
echo "openclaw-backup: wrote $archive ($(du -h "$archive" | cut -f1))"
date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-success.tmp"
echo "$archive" >>"$dest/last-success.tmp"
mv "$dest/last-success.tmp" "$dest/last-success"
CLAW_EOF
# openclaw-backup.service (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/openclaw-backup.service <<'CLAW_EOF'
# Written by claw-setup.
[Unit]
Description=OpenClaw backup of /home/deploy/openclaw
Documentation=file:///usr/local/sbin/openclaw-backup

[Service]
Type=oneshot
# "+": runs outside the sandbox below, so a deleted backup directory comes back
# instead of failing the sandbox setup (ReadWritePaths= must exist).
ExecStartPre=+/usr/bin/mkdir -p -m 700 /var/backups/openclaw
ExecStart=/usr/local/sbin/openclaw-backup
UMask=0077
Nice=10
IOSchedulingClass=idle
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths=/var/backups/openclaw
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes
# Reads files owned by the container user (uid 10000); writes only root-owned ones.
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
CLAW_EOF
# openclaw-backup.timer (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/openclaw-backup.timer <<'CLAW_EOF'
# Written by claw-setup.
[Unit]
Description=Daily OpenClaw backup at 03:00

[Timer]
OnCalendar=*-*-* 03:00:00
Persistent=true
RandomizedDelaySec=300

[Install]
WantedBy=timers.target
CLAW_EOF
# reload systemd units (only when a file above changed)
systemctl daemon-reload
# enable and start openclaw-backup.timer
if ! { sh -c 'systemctl is-enabled --quiet openclaw-backup.timer && systemctl is-active --quiet openclaw-backup.timer'; } >/dev/null 2>&1; then
  systemctl enable --now openclaw-backup.timer
fi
# openclaw-restore-test script (mode 0700, root:root)
claw_write 0700 root root /usr/local/sbin/openclaw-restore-test <<'CLAW_EOF'
#!/usr/bin/env bash
# OpenClaw restore test, written by claw-setup; run monthly by openclaw-restore-test.timer.
# Restores the newest archive of /var/backups/openclaw into a scratch directory and checks it
# holds docker-compose.yml and an openclaw.json that parses.
# Alerts through the health check's targets (/etc/claw-setup/monitoring.env) on failure.
# Run it now with: systemctl start openclaw-restore-test; journalctl -u openclaw-restore-test -n 20
set -uo pipefail
umask 077

dest=/var/backups/openclaw
src=home/deploy/openclaw
host=$(uname -n)
problems=()
problem() { problems+=("$1"); }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/openclaw-restore-test.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/tree" || exit 1

newest=$(find "$dest" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
if [ -z "$newest" ]; then
  problem "no archive in $dest to restore"
elif ! tar -tvzf "$newest" >"$scratch/members" 2>/dev/null; then
  problem "$newest does not read back"
else
  # config/ and workspace/ belong to the gateway container: whatever it planted there is archived as
  # it is. Hard links, devices and FIFOs have no business there; symlinks may (npm's node_modules/.bin),
  # but none is extracted or read here: only the two files checked, only as regular files (by tar type).
  odd=$(grep -v '^[-dl]' "$scratch/members" | head -n 3 | cut -c1-160 | tr -c '[:print:]\n' '?' | tr '\n' ';')
  [ -z "$odd" ] || problem "$newest holds hard links, devices or FIFOs (planted in the container's directories?): $odd"
  readable=1
  for f in docker-compose.yml config/openclaw.json; do
    types=$(tar -tvzf "$newest" "$src/$f" 2>/dev/null | cut -c1 | sort -u | tr -d '\n')
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
    ! docker run -i --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges --memory 512m --pids-limit 64 --user 65534:65534 --entrypoint node ghcr.io/openclaw/openclaw:2026.9.6 -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{JSON.parse(s)}catch{require("json5").parse(s)}})' <"$config" >/dev/null 2>&1; then
    # JSON5 (comments, trailing commas) is OpenClaw's format too: parsed in a throwaway container of the
    # gateway image with no network and nothing mounted, never in the live gateway (it may be hostile).
    problem "openclaw.json in $newest does not parse"
  fi
fi
# JSON string escaping for the few characters our own messages can hold.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/}
  s=${s//$'\t'/ }
  printf '"%s"' "$s"
}

# Sends $1 (title), $2 (text) and $3 (ntfy tag) to every configured target. URLs go to curl on
# stdin (-K -), never in argv, where any local user could read them with ps.
notify() {
  local failed=0
  if [ -n "${NTFY_URL:-}" ]; then
    printf 'url = "%s"\n' "$NTFY_URL" |
      curl -fsS --max-time 10 -K - -o /dev/null -H "Title: $1" -H "Tags: $3" --data-binary "$2" || failed=1
  fi
  if [ -n "${DISCORD_WEBHOOK_URL:-}" ]; then
    printf 'url = "%s"\n' "$DISCORD_WEBHOOK_URL" |
      curl -fsS --max-time 10 -K - -o /dev/null -H 'Content-Type: application/json' \
        --data-binary "{\"content\":$(json_string "**$1**"$'\n'"$2")}" || failed=1
  fi
  return "$failed"
}

if [ "${#problems[@]}" -gt 0 ]; then
  summary=$(printf '%s\n' "${problems[@]}")
  notify "OpenClaw on $host: the monthly restore test failed" "$summary" warning ||
    echo "openclaw-restore-test: could not deliver the alert" >&2
  printf 'openclaw-restore-test: FAIL %s\n' "${problems[@]}" >&2
  exit 1
fi
date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-restore-test"
echo "$newest" >>"$dest/last-restore-test"
echo "openclaw-restore-test: $newest restores: docker-compose.yml present, openclaw.json parses"
CLAW_EOF
# openclaw-restore-test.service (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/openclaw-restore-test.service <<'CLAW_EOF'
# Written by claw-setup.
[Unit]
Description=OpenClaw monthly restore test of the newest backup
Documentation=file:///usr/local/sbin/openclaw-restore-test
After=docker.service

[Service]
Type=oneshot
EnvironmentFile=-/etc/claw-setup/monitoring.env
ExecStart=/usr/local/sbin/openclaw-restore-test
UMask=0077
Nice=10
IOSchedulingClass=idle
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths=/var/backups/openclaw
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes
# Reads the archives and the config (root-owned); extracts as root without changing owners.
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
CLAW_EOF
# openclaw-restore-test.timer (mode 0644, root:root)
claw_write 0644 root root /etc/systemd/system/openclaw-restore-test.timer <<'CLAW_EOF'
# Written by claw-setup.
[Unit]
Description=Monthly OpenClaw restore test

[Timer]
OnCalendar=*-*-01 05:00:00
Persistent=true
RandomizedDelaySec=1h

[Install]
WantedBy=timers.target
CLAW_EOF
# reload systemd units (only when a file above changed)
systemctl daemon-reload
# enable and start openclaw-restore-test.timer
if ! { sh -c 'systemctl is-enabled --quiet openclaw-restore-test.timer && systemctl is-active --quiet openclaw-restore-test.timer'; } >/dev/null 2>&1; then
  systemctl enable --now openclaw-restore-test.timer
fi
# NOTE: back up now: claw-setup backup --answers FILE (prints the archive written)
# NOTE: restore: claw-setup restore --answers FILE [--from ARCHIVE] (the current state is kept first)

# ═══ Step 13/13: verify — Final verification
#     runs every check of `claw-setup audit` on the server (firewall, sshd, fail2ban, loopback-only gateway, container hardening, OpenClaw's own security audit and doctor, file modes); any failure stops the run; then the journal
# GATE (on the server): the gateway is healthy (retried up to 5 times, 2s apart)
curl -fsS --max-time 5 -o /dev/null http://127.0.0.1:18789/healthz || exit 1
# the audit checks (as claw-setup audit runs them; sha256 7500fe4e97777205) (mode 0700, root:root)
claw_write 0700 root root /usr/local/sbin/claw-setup-audit <<'CLAW_EOF'
#!/usr/bin/env bash
# claw-setup audit, rendered by claw-setup from the answers. Read-only: it changes nothing.
# Usage: bash audit.sh [OPERATOR_IP]   (as root). Output: one JSON object per line.
# shellcheck disable=SC2016 # JavaScript and sh -c programs travel as literal single-quoted words
set -uo pipefail
export LC_ALL=C
operator_ip=${1:-}
deploy_user=deploy
compose_dir=/home/deploy/openclaw
compose_file=/home/deploy/openclaw/docker-compose.yml
env_file=/home/deploy/openclaw/.env
config_file=/home/deploy/openclaw/config/openclaw.json
journal=/var/lib/claw-setup/journal.json
container=openclaw-gateway
image_ref=ghcr.io/openclaw/openclaw:2026.9.6
gateway_port=18789
bridge_port=18790
ssh_port=22
allowed_public='udp/68 udp/546'
token_var=OPENCLAW_GATEWAY_TOKEN
token_stamp=/var/lib/claw-setup/rotated/OPENCLAW_GATEWAY_TOKEN
token_max_age_days=90
disk_warn=85
mem_warn=90
fail2ban_enabled=yes
unattended_wanted=yes
backups_enabled=yes
backup_dir=/var/backups/openclaw
backup_max_age_h=36
keep_days=14
monitoring_enabled=no
monitoring_env=/etc/claw-setup/monitoring.env
tailscale_enabled=no
deadman_root=/var/lib/claw-setup/deadman
deadman_check='! grep -qsxE '\''armed|restoring'\'' /var/lib/claw-setup/deadman/*/state && ! systemctl list-units --no-legend --state=active,activating '\''claw-setup-deadman-*'\'' | grep -q .'
weak_algorithms='ecdh-sha2-nistp256 ecdh-sha2-nistp384 ecdh-sha2-nistp521 diffie-hellman-group14-sha256 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384 ecdsa-sha2-nistp521 ecdsa-sha2-nistp256-cert-v01@openssh.com ecdsa-sha2-nistp384-cert-v01@openssh.com ecdsa-sha2-nistp521-cert-v01@openssh.com sk-ecdsa-sha2-nistp256@openssh.com sk-ecdsa-sha2-nistp256-cert-v01@openssh.com umac-64-etm@openssh.com hmac-sha1-etm@openssh.com umac-64@openssh.com umac-128@openssh.com hmac-sha2-256 hmac-sha2-512 hmac-sha1'
sshd_expect='port 22
permitrootlogin no
passwordauthentication no
kbdinteractiveauthentication no
pubkeyauthentication yes
authenticationmethods publickey
permitemptypasswords no
maxauthtries 3
logingracetime 30
x11forwarding no
allowagentforwarding no
allowtcpforwarding local
allowstreamlocalforwarding no
permittunnel no
allowusers deploy
clientaliveinterval 300
clientalivecountmax 2
usepam yes
loglevel VERBOSE'
oc_mapper='let s = "";
process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const out = (id, status, check, evidence, fix) => console.log(JSON.stringify({ id, status, check, evidence, fix }));
  const name = "OpenClaw security audit";
  let j;
  try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch (e) {
    out("app.openclaw-audit", "fail", name, "it printed no JSON", "run: sudo docker exec openclaw-gateway node dist/index.js security audit");
    return;
  }
  const findings = Array.isArray(j.findings) ? j.findings : [];
  const count = (k) => (j.summary && typeof j.summary[k] === "number" ? j.summary[k] : findings.filter((f) => f.severity === k).length);
  out("app.openclaw-audit", "pass", name, `ran: ${count("critical")} critical, ${count("warn")} warn, ${count("info")} info`, "");
  const status = { critical: "fail", warn: "warn", info: "pass" };
  for (const f of findings) {
    const id = String(f.checkId || "finding").replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 80);
    const evidence = String(f.detail || f.evidence || f.title || "").slice(0, 300);
    out(`app.openclaw.${id}`, status[f.severity] || "warn", String(f.title || id).slice(0, 120), evidence, String(f.remediation || "").slice(0, 300));
  }
});'
doctor_mapper='let s = "";
process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const out = (id, status, check, evidence, fix) => console.log(JSON.stringify({ id, status, check, evidence, fix }));
  const name = "OpenClaw doctor (lint)";
  let j;
  try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch (e) {
    out("app.openclaw-doctor", "warn", name, "it printed no JSON", "run: sudo docker exec openclaw-gateway node dist/index.js doctor --lint");
    return;
  }
  const findings = Array.isArray(j.findings) ? j.findings : [];
  const errors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const fix = "see: sudo docker exec openclaw-gateway node dist/index.js doctor --lint";
  out("app.openclaw-doctor", errors.length ? "fail" : "pass", name, `${errors.length} error(s), ${warnings} warning(s) (advice)`, errors.length ? fix : "");
  for (const f of errors) {
    const id = String(f.checkId || "finding").replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 80);
    out(`app.doctor.${id}`, "fail", String(f.message || id).slice(0, 160), String(f.path || f.requirement || "").slice(0, 200), String(f.fixHint || fix).slice(0, 300));
  }
});'

now_ms() { date +%s%3N; }
t_start=$(now_ms)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# JSON string of $1 in REPLY (no subshell): backslash, quote, newline escaped, other controls blanked.
jstr() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//[[:cntrl:]]/ }
  REPLY="\"$s\""
}
# emit ID STATUS CHECK EVIDENCE [FIX]
emit() {
  local id st ck ev
  jstr "$1"; id=$REPLY
  jstr "$2"; st=$REPLY
  jstr "$3"; ck=$REPLY
  jstr "$4"; ev=$REPLY
  jstr "${5:-}"
  printf '{"id":%s,"status":%s,"check":%s,"evidence":%s,"fix":%s}\n' "$id" "$st" "$ck" "$ev" "$REPLY"
}

# IPv4 address to a number; fails on anything else.
ip4() {
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  REPLY=$(( (10#${BASH_REMATCH[1]} << 24) + (10#${BASH_REMATCH[2]} << 16) + (10#${BASH_REMATCH[3]} << 8) + 10#${BASH_REMATCH[4]} ))
}
# covers CIDR-or-IP ADDRESS: is ADDRESS inside it? IPv4 by prefix, anything else by equality.
covers() {
  local net=${1%/*} bits=32 n
  [[ $1 == */* ]] && bits=${1#*/}
  [ "$net" = "$2" ] && return 0
  [[ $bits =~ ^[0-9]{1,2}$ ]] && [ "$bits" -le 32 ] || return 1
  ip4 "$net" || return 1
  n=$REPLY
  ip4 "$2" || return 1
  local mask=$(( bits == 0 ? 0 : (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF ))
  [ $(( n & mask )) -eq $(( REPLY & mask )) ]
}
covers_any() {
  local s
  for s in $1; do covers "$s" "$2" && return 0; done
  return 1
}

# Tailscale: logged in, and the node key's expiry (warn 30 days ahead). $1: tailscale status --json.
tailscale_checks() {
  local json=$1 state expiry exp_s days
  state=$(sed -n 's/^[[:space:]]*"BackendState":[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$json" | head -n 1)
  if [ "$state" != Running ]; then
    emit tailscale.up fail "Tailscale is logged in and up" "BackendState ${state:-unknown (tailscale status failed)}" "sudo tailscale up, or rerun claw-setup with a fresh auth key"
    return
  fi
  emit tailscale.up pass "Tailscale is logged in and up" "BackendState Running"
  expiry=$(awk '/^  "Self": *\{/ { s = 1; next } s && /^  \}/ { exit } s && /^    "KeyExpiry":/ { sub(/^[^:]*: *"/, ""); sub(/".*/, ""); print; exit }' <<<"$json")
  if [ -z "$expiry" ]; then
    emit tailscale.key-expiry pass "the Tailscale node key does not expire soon" "key expiry is disabled for this node"
    return
  fi
  if ! exp_s=$(date -d "$expiry" +%s 2>/dev/null); then
    emit tailscale.key-expiry warn "the Tailscale node key does not expire soon" "unreadable KeyExpiry $expiry" "check: tailscale status --json"
    return
  fi
  days=$(( (exp_s - $(date +%s)) / 86400 ))
  local fix="disable key expiry for this machine in the Tailscale admin console, or re-authenticate: sudo tailscale up --force-reauth (keep the break-glass rule until it is back)"
  if [ "$exp_s" -le "$(date +%s)" ]; then
    emit tailscale.key-expiry fail "the Tailscale node key does not expire soon" "expired on $expiry: the node is off the tailnet" "$fix"
  elif [ "$days" -lt 30 ]; then
    emit tailscale.key-expiry warn "the Tailscale node key does not expire soon" "expires on $expiry, in $days days" "$fix"
  else
    emit tailscale.key-expiry pass "the Tailscale node key does not expire soon" "expires on $expiry, in $days days"
  fi
}

# The gateway container, inspected once (no Config.Env: it holds the secrets).
ins=$(docker inspect -f '{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}|{{.State.StartedAt}}|{{.RestartCount}}|{{.Config.Image}}|{{json .HostConfig.CapDrop}}|{{json .HostConfig.CapAdd}}|{{json .HostConfig.SecurityOpt}}|{{.HostConfig.Privileged}}|{{.HostConfig.Memory}}|{{.HostConfig.PidsLimit}}|{{.HostConfig.LogConfig.Type}}|{{json .HostConfig.LogConfig.Config}}|{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostIp}}:{{.HostPort}} {{end}}{{end}}|{{range .Mounts}}{{.Source}} {{end}}|{{.HostConfig.NetworkMode}}|{{.State.ExitCode}}' "$container" 2>/dev/null)
up_fix="cd $compose_dir && sudo docker compose up -d; logs: sudo docker logs --tail 50 $container"

# Slow parts in the background: OpenClaw's own audit (timed on its own), apt's simulation, the newest backup read back.
oc_pid=''
if [[ $ins == running\|* ]]; then
  ( s=$(now_ms)
    # OpenClaw's security audit and its doctor side by side (each a node process in the container).
    timeout 150 docker exec "$container" sh -c 'node dist/index.js doctor --lint --json --severity-min warning 2>/dev/null | node -e "$1"' sh "$doctor_mapper" >"$tmp/doctor.out" 2>/dev/null &
    doctor_pid=$!
    timeout 150 docker exec "$container" sh -c 'node dist/index.js security audit --json 2>/dev/null | node -e "$1"' sh "$oc_mapper" >"$tmp/oc.out" 2>"$tmp/oc.err"
    oc_rc=$?
    wait "$doctor_pid"
    cat "$tmp/doctor.out" >>"$tmp/oc.out"
    echo "$oc_rc $(( $(now_ms) - s ))" >"$tmp/oc.rc" ) &
  oc_pid=$!
fi
apt-get -s -o Debug::NoLocking=1 dist-upgrade >"$tmp/apt.sim" 2>/dev/null &
apt_pid=$!
tar_pid=''
if [ "$backups_enabled" = yes ]; then
  newest_bg=$(find "$backup_dir" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1)
  if [ -n "$newest_bg" ]; then
    ( timeout 60 tar -tzf "${newest_bg#* }" >/dev/null 2>&1; echo "$?" >"$tmp/tar.rc" ) &
    tar_pid=$!
  fi
fi


# ---- sshd: effective settings (sshd -T), the first value read wins
declare -A sshd=()
sshd_t=$(sshd -T 2>"$tmp/sshd.err")
sshd_rc=$?
while read -r k v; do
  [ -n "$k" ] && [ -z "${sshd[$k]+x}" ] && sshd[$k]=$v
done <<<"$sshd_t"
# The config files that set keyword $1 to value $2 (case-insensitive), in the order sshd reads them.
set_by() {
  local f files=''
  for f in /etc/ssh/sshd_config.d/*.conf /etc/ssh/sshd_config; do
    [ -f "$f" ] && grep -qiE "^[[:space:]]*$1[[:space:]]+$2([[:space:]]|$)" "$f" && files+="$f "
  done
  [ -n "$files" ] && printf ' (set to %s in %s)' "$2" "${files% }"
}
reload_fix='then: sudo sshd -t && sudo systemctl reload ssh (or rerun claw-setup, which writes /etc/ssh/sshd_config.d/00-claw-setup.conf)'
if [ "$sshd_rc" -ne 0 ]; then
  emit ssh.config fail "sshd configuration is valid" "sshd -T failed: $(head -c 300 "$tmp/sshd.err")" "run sudo sshd -t, fix the file it names, $reload_fix"
else
  v=${sshd[permitrootlogin]:-unset}
  if [ "$v" = no ]; then
    emit ssh.root-login pass "sshd refuses root login" "permitrootlogin no"
  else
    emit ssh.root-login fail "sshd refuses root login" "permitrootlogin $v$(set_by PermitRootLogin "$v")" "set PermitRootLogin no in the first file sshd reads (files in sshd_config.d/ are read in name order), $reload_fix"
  fi
  pw=${sshd[passwordauthentication]:-unset}
  kbd=${sshd[kbdinteractiveauthentication]:-unset}
  if [ "$pw" = no ] && [ "$kbd" = no ]; then
    emit ssh.password-login pass "sshd refuses password login" "passwordauthentication no, kbdinteractiveauthentication no"
  else
    by="$(set_by PasswordAuthentication yes)$(set_by KbdInteractiveAuthentication yes)"
    emit ssh.password-login fail "sshd refuses password login" "passwordauthentication $pw, kbdinteractiveauthentication $kbd$by" "remove PasswordAuthentication yes / KbdInteractiveAuthentication yes from the files named (sshd keeps the first value it reads), $reload_fix"
  fi
  diffs=''
  while read -r k want; do
    case $k in '' | permitrootlogin | passwordauthentication | kbdinteractiveauthentication) continue ;; esac
    have=${sshd[$k]:-unset}
    [ "${have,,}" = "${want,,}" ] || diffs+="$k $have (want $want); "
  done <<<"$sshd_expect"
  if [ -z "$diffs" ]; then
    emit ssh.settings pass "sshd settings as claw-setup set them" "$(wc -l <<<"$sshd_expect") settings match (allowusers ${sshd[allowusers]:-unset}, maxauthtries ${sshd[maxauthtries]:-unset})"
  else
    emit ssh.settings warn "sshd settings as claw-setup set them" "${diffs%; }" "an earlier drop-in or sshd_config overrides these; rerun claw-setup or edit the files, $reload_fix"
  fi
  weak=''
  for kw in kexalgorithms hostkeyalgorithms macs; do
    IFS=, read -ra offered <<<"${sshd[$kw]:-}"
    for alg in "${offered[@]}"; do
      case " $weak_algorithms " in *" $alg "*) weak+="$alg " ;; esac
    done
  done
  if [ -z "$weak" ]; then
    emit ssh.algorithms pass "sshd offers no weak algorithms" "no NIST-curve kex or ECDSA host key, no SHA-1 or 64-bit MAC offered"
  else
    emit ssh.algorithms warn "sshd offers no weak algorithms" "offered: ${weak% }" "rerun claw-setup (its drop-in removes them), $reload_fix"
  fi
fi

# ---- firewall
if ! command -v ufw >/dev/null 2>&1; then
  emit firewall.active fail "ufw is active" "ufw is not installed" "rerun claw-setup (it installs and enables ufw)"
else
  ufw_v=$(ufw status verbose 2>&1)
  if grep -q '^Status: active' <<<"$ufw_v"; then
    emit firewall.active pass "ufw is active" "Status: active"
    if grep -q 'deny (incoming)' <<<"$ufw_v"; then
      emit firewall.default-deny pass "ufw denies incoming by default" "$(grep '^Default:' <<<"$ufw_v")"
    else
      emit firewall.default-deny fail "ufw denies incoming by default" "$(grep '^Default:' <<<"$ufw_v")" "sudo ufw default deny incoming"
    fi
  else
    emit firewall.active fail "ufw is active" "$(head -n 1 <<<"$ufw_v"): every listening port is open to the internet" "sudo ufw enable (its rules, the SSH and break-glass rules included, are kept), or rerun claw-setup"
  fi
  sources=$(ufw show added 2>/dev/null | sed -n "s/.* from \([^ ]*\) .*claw-setup break-glass.*/\1/p" | sort -u | tr '\n' ' ')
  sources=${sources% }
  if [ -z "$sources" ]; then
    emit firewall.break-glass warn "break-glass SSH rule for your address" "no claw-setup break-glass rule" "rerun claw-setup (it adds: ufw allow proto tcp from YOUR-IP to any port $ssh_port)"
  elif [ -z "$operator_ip" ]; then
    emit firewall.break-glass pass "break-glass SSH rule for your address" "from $sources (your current address is unknown here)"
  elif covers_any "$sources" "$operator_ip"; then
    emit firewall.break-glass pass "break-glass SSH rule for your address" "from $sources; you connect from $operator_ip"
  else
    emit firewall.break-glass warn "break-glass SSH rule for your address" "from $sources, but you connect from $operator_ip: the rule no longer covers you" "rerun claw-setup from your current address (or --operator-ip), and remove the stale rule with sudo ufw delete"
  fi
fi

# ---- container egress: the live rules are exactly what claw-setup-egress wants (its --check)
egress_check="the gateway container cannot reach the metadata service, private ranges or the host"
if [ ! -x /usr/local/sbin/claw-setup-egress ]; then
  emit firewall.egress fail "$egress_check" "/usr/local/sbin/claw-setup-egress is missing: no egress rule at all" "rerun claw-setup (it installs the egress rules)"
elif egress_out=$(/usr/local/sbin/claw-setup-egress --check 2>&1); then
  emit firewall.egress pass "$egress_check" "$(tr '\n' ' ' <<<"$egress_out")"
else
  emit firewall.egress fail "$egress_check" "$(tr '\n' ' ' <<<"$egress_out" | head -c 400)" "sudo systemctl restart claw-setup-egress (or rerun claw-setup)"
fi

# ---- fail2ban
if [ "$fail2ban_enabled" = yes ]; then
  if f2b=$(fail2ban-client status sshd 2>&1); then
    banned=$(sed -n 's/.*Currently banned:[[:space:]]*//p' <<<"$f2b")
    total=$(sed -n 's/.*Total banned:[[:space:]]*//p' <<<"$f2b")
    emit fail2ban.sshd pass "fail2ban guards sshd" "jail sshd up: ${banned:-?} banned now, ${total:-?} in total"
  else
    emit fail2ban.sshd fail "fail2ban guards sshd" "$(head -n 1 <<<"$f2b")" "sudo systemctl restart fail2ban && sudo fail2ban-client status sshd (or rerun claw-setup)"
  fi
fi

# ---- updates (the simulation was started in the background at the top)
wait "$apt_pid"
all=$(grep -c '^Inst ' "$tmp/apt.sim")
sec=$(grep '^Inst ' "$tmp/apt.sim" | grep -i -- '-security' | awk '{ print $2 }' | tr '\n' ' ')
lists=$(find /var/lib/apt/lists -maxdepth 1 -type f -printf '%T@\n' 2>/dev/null | sort -n | tail -n 1)
lists_h=$(( ($(date +%s) - ${lists%.*}) / 3600 ))
if [ -z "$sec" ]; then
  emit updates.security pass "no security updates pending" "0 security, $all other pending; package lists ${lists_h}h old"
else
  emit updates.security warn "no security updates pending" "$(wc -w <<<"$sec") security updates pending: ${sec:0:200}; package lists ${lists_h}h old" "sudo apt-get update && sudo apt-get upgrade (unattended-upgrades applies them daily)"
fi
if [ -f /run/reboot-required ]; then
  emit updates.reboot warn "no reboot required" "reboot required by: $(sort -u /run/reboot-required.pkgs 2>/dev/null | head -n 5 | tr '\n' ' ')" "sudo reboot at a quiet time (the gateway comes back by itself)"
else
  emit updates.reboot pass "no reboot required" "no /run/reboot-required"
fi
uu_on=$(apt-config dump APT::Periodic::Unattended-Upgrade 2>/dev/null | sed -n 's/^APT::Periodic::Unattended-Upgrade "\(.*\)";$/\1/p')
uu_pkg=$(dpkg-query -W -f '${Status}' unattended-upgrades 2>/dev/null)
uu_timer=$(systemctl is-active apt-daily-upgrade.timer 2>/dev/null)
if [ "$uu_pkg" != 'install ok installed' ] || [ "${uu_on:-0}" = 0 ] || [ "$uu_timer" != active ]; then
  st=fail
  [ "$unattended_wanted" = yes ] || st=warn
  emit updates.unattended "$st" "unattended security upgrades are on" "package: ${uu_pkg:-not installed}; APT::Periodic::Unattended-Upgrade ${uu_on:-unset}; apt-daily-upgrade.timer $uu_timer" "rerun claw-setup with updates.unattended: true"
else
  log=/var/log/unattended-upgrades/unattended-upgrades.log
  if [ -f "$log" ]; then
    ran_h=$(( ($(date +%s) - $(stat -c %Y "$log")) / 3600 ))
    if [ "$ran_h" -le 72 ]; then
      emit updates.unattended pass "unattended security upgrades are on" "on; last ran ${ran_h}h ago"
    else
      emit updates.unattended warn "unattended security upgrades are on" "on, but last ran ${ran_h}h ago" "journalctl -u apt-daily-upgrade -n 50 shows why"
    fi
  else
    since_h=$(( ($(date +%s) - $(stat -c %Y "$journal" 2>/dev/null || date +%s)) / 3600 ))
    if [ "$since_h" -le 48 ]; then
      emit updates.unattended pass "unattended security upgrades are on" "on; not run yet (set up ${since_h}h ago, it runs daily)"
    else
      emit updates.unattended warn "unattended security upgrades are on" "on, but it has never run in ${since_h}h" "journalctl -u apt-daily-upgrade -n 50 shows why"
    fi
  fi
fi

# ---- listening sockets on public addresses
gw_public=''
others=''
while read -r net _ _ _ local _ proc; do
  [ -n "$net" ] || continue
  case $local in 127.* | '[::1]'* | *%lo:* | '[::ffff:127.'*) continue ;; esac
  port=${local##*:}
  name=unknown
  [[ $proc =~ \"([^\"]+)\" ]] && name=${BASH_REMATCH[1]}
  if [ "$net" = tcp ] && { [ "$port" = "$gateway_port" ] || [ "$port" = "$bridge_port" ]; }; then
    gw_public+="$local ($name) "
    continue
  fi
  case " $net/$port " in *" tcp/$ssh_port "*) continue ;; esac
  case " $allowed_public " in *" $net/$port "*) continue ;; esac
  others+="$net $local ($name) "
done < <(ss -Hltunp 2>/dev/null)
if [ -z "$gw_public" ]; then
  emit network.gateway-loopback pass "the gateway listens on loopback only" "ports $gateway_port and $bridge_port: 127.0.0.1 only"
else
  emit network.gateway-loopback fail "the gateway listens on loopback only" "on a public address: ${gw_public% } (Docker's published ports bypass ufw)" "publish the ports as 127.0.0.1:PORT:PORT in $compose_file (rerun claw-setup restores it), then: cd $compose_dir && sudo docker compose up -d"
fi
if [ -z "$others" ]; then
  emit network.public-listeners pass "nothing else listens on a public address" "only sshd on $ssh_port${allowed_public:+ and $allowed_public}"
else
  emit network.public-listeners warn "nothing else listens on a public address" "${others% }" "stop what you do not need; ufw blocks the rest unless Docker publishes it"
fi

# ---- dead-man switch: nothing armed that would undo a change later
if sh -c "$deadman_check"; then
  emit deadman.none-armed pass "no claw-setup dead-man switch is armed" "no armed group, no claw-setup-deadman-* unit active"
else
  armed=$(grep -lsxE 'armed|restoring' "$deadman_root"/*/state | xargs -r -n1 dirname | xargs -r -n1 basename | tr '\n' ' ')
  units=$(systemctl list-units --no-legend --plain --state=active,activating 'claw-setup-deadman-*' 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')
  armed=${armed% }
  units=${units% }
  emit deadman.none-armed fail "no claw-setup dead-man switch is armed" "armed groups: ${armed:-none}; active units: ${units:-none}: a timer will undo a change" "an interrupted claw-setup run left this: run claw-setup again (it restores and re-applies); a unit that is not claw-setup's: sudo systemctl stop ${units:-UNIT}"
fi

# ---- disk, memory, clock
disk=$(df --output=pcent / | tail -n 1 | tr -dc '0-9')
avail=$(df -h --output=avail / | tail -n 1 | tr -d ' ')
st=pass
[ "${disk:-100}" -ge "$disk_warn" ] && st=warn
[ "${disk:-100}" -ge 95 ] && st=fail
emit host.disk "$st" "disk headroom on /" "${disk:-?}% used, $avail free (warn at $disk_warn%)" "$([ "$st" = pass ] || echo 'free space: sudo docker system prune, sudo journalctl --vacuum-size=200M, old backups')"
mem=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { if (t > 0) printf "%d %d", (t - a) * 100 / t, a / 1024 }' /proc/meminfo)
mem_used=${mem% *}
st=pass
[ "${mem_used:-100}" -ge "$mem_warn" ] && st=warn
[ "${mem_used:-100}" -ge 97 ] && st=fail
emit host.memory "$st" "memory headroom" "${mem_used:-?}% used, ${mem#* } MiB available (warn at $mem_warn%)" "$([ "$st" = pass ] || echo 'find the biggest users: ps aux --sort=-rss | head; a bigger server or a lower openclaw.memoryLimit')"
ntp=$(timedatectl show -p NTPSynchronized --value 2>/dev/null)
syncd=$(for s in systemd-timesyncd chrony chronyd ntpsec ntp openntpd; do systemctl is-active --quiet "$s" 2>/dev/null && echo "$s"; done | head -n 1)
virt=$(systemd-detect-virt --container 2>/dev/null)
if [ "$ntp" = yes ]; then
  emit host.time-sync pass "the clock is synchronized" "NTPSynchronized=yes${syncd:+ ($syncd)}"
elif [ -n "$virt" ] && [ "$virt" != none ]; then
  emit host.time-sync pass "the clock is synchronized" "a $virt container: the clock is the host's"
elif [ -n "$syncd" ]; then
  emit host.time-sync warn "the clock is synchronized" "$syncd runs but the clock is not synchronized yet" "timedatectl timesync-status; check that UDP 123 outbound is allowed"
else
  emit host.time-sync warn "the clock is synchronized" "no time sync service runs" "sudo apt-get install systemd-timesyncd (or chrony)"
fi


# ---- the gateway container (docker inspect, read once at the top)
if [ -z "$ins" ]; then
  emit container.running fail "the gateway container runs and is healthy" "no container $container" "cd $compose_dir && sudo docker compose up -d (or rerun claw-setup)"
else
  IFS='|' read -r c_state c_health c_started c_restarts c_image c_capdrop c_capadd c_secopt c_priv c_mem c_pids c_logtype c_logcfg c_ports c_mounts c_net c_exit <<<"$ins"
  if [ "$c_state" != running ]; then
    emit container.running fail "the gateway container runs and is healthy" "$c_state (exit code $c_exit) since $c_started" "$up_fix"
  elif [ "$c_health" = healthy ]; then
    emit container.running pass "the gateway container runs and is healthy" "running, healthy, up since $c_started"
  elif [ "$c_health" = unhealthy ]; then
    emit container.running fail "the gateway container runs and is healthy" "running but unhealthy, up since $c_started" "sudo docker logs --tail 50 $container; then: cd $compose_dir && sudo docker compose restart"
  else
    emit container.running warn "the gateway container runs and is healthy" "running, health: $c_health, up since $c_started" "wait a minute (health checks start after 60 s), then audit again"
  fi
  if [ "$c_restarts" -eq 0 ] 2>/dev/null; then
    emit container.restarts pass "the gateway is not restarting" "0 restarts"
  else
    st=warn
    [ "$c_restarts" -ge 5 ] 2>/dev/null && st=fail
    emit container.restarts "$st" "the gateway is not restarting" "restarted $c_restarts times (a crash loop?)" "sudo docker logs --tail 100 $container"
  fi
  if [ "$c_image" = "$image_ref" ]; then
    emit container.image pass "the image is the pinned version" "$c_image"
  else
    emit container.image fail "the image is the pinned version" "runs $c_image, pinned $image_ref" "rerun claw-setup (it recreates the container from the pinned image)"
  fi
  if [ "$c_capdrop" = '["ALL"]' ] && { [ "$c_capadd" = null ] || [ "$c_capadd" = '[]' ]; } && [ "$c_priv" = false ]; then
    emit container.capabilities pass "all capabilities dropped" "cap_drop [ALL], no cap_add, not privileged"
  else
    emit container.capabilities fail "all capabilities dropped" "cap_drop $c_capdrop, cap_add $c_capadd, privileged $c_priv" "rerun claw-setup (compose: cap_drop [ALL]), then recreate the container"
  fi
  if [[ $c_secopt == *no-new-privileges* ]]; then
    emit container.no-new-privileges pass "no-new-privileges" "security_opt $c_secopt"
  else
    emit container.no-new-privileges fail "no-new-privileges" "security_opt $c_secopt" "rerun claw-setup (compose: security_opt no-new-privileges:true)"
  fi
  if [ "${c_mem:-0}" -gt 0 ] 2>/dev/null && [ "${c_pids:-0}" -gt 0 ] 2>/dev/null; then
    emit container.limits pass "memory and process limits" "memory $((c_mem / 1048576)) MiB, pids $c_pids"
  else
    emit container.limits warn "memory and process limits" "memory $c_mem, pids $c_pids (0 or <nil>: unlimited)" "rerun claw-setup (compose: mem_limit, pids_limit)"
  fi
  bad_ports=''
  for b in $c_ports; do
    case $b in 127.0.0.1:* | '::1:'*) ;; *) bad_ports+="$b " ;; esac
  done
  if [ "$c_net" = host ]; then
    emit container.ports fail "ports published on 127.0.0.1 only" "network_mode host: every port the gateway opens is public" "rerun claw-setup (compose: its own bridge network)"
  elif [ -z "$bad_ports" ]; then
    c_ports=${c_ports% }
    emit container.ports pass "ports published on 127.0.0.1 only" "${c_ports:-none}"
  else
    emit container.ports fail "ports published on 127.0.0.1 only" "published on all addresses: ${bad_ports% } (Docker bypasses ufw)" "use 127.0.0.1:PORT:PORT in $compose_file (rerun claw-setup restores it), then: cd $compose_dir && sudo docker compose up -d"
  fi
  if [[ " $c_mounts " == *docker.sock* ]]; then
    emit container.docker-socket fail "no Docker socket inside" "mounted: $c_mounts" "remove the docker.sock volume (it is root on the host), rerun claw-setup"
  else
    emit container.docker-socket pass "no Docker socket inside" "mounts: ${c_mounts% }"
  fi
  if { [ "$c_logtype" = json-file ] && [[ $c_logcfg == *max-size* ]]; } || [ "$c_logtype" = local ] || [ "$c_logtype" = journald ]; then
    emit container.log-rotation pass "container logs are rotated" "$c_logtype $c_logcfg"
  else
    emit container.log-rotation warn "container logs are rotated" "$c_logtype $c_logcfg: logs grow without limit" "rerun claw-setup (compose: json-file, max-size 10m, max-file 3)"
  fi
  # The small room: its own uid (not the deploy user's, who could read its environment), a read-only root.
  IFS='|' read -r c_user c_ro c_cpus c_oom <<<"$(docker inspect -f '{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.OomScoreAdj}}' "$container" 2>/dev/null)"
  if [ "$c_user" = 10000:10000 ] && [ "$c_ro" = true ]; then
    emit container.room pass "its own user, a read-only root" "user $c_user, read-only root, cpus $(awk -v n="${c_cpus:-0}" 'BEGIN { printf "%.2f", n / 1e9 }'), oom_score_adj $c_oom"
  else
    emit container.room fail "its own user, a read-only root" "user ${c_user:-image default}, read-only root $c_ro (want 10000:10000, true)" "rerun claw-setup (it moves the files to uid 10000 and recreates the container)"
  fi
fi

# ---- the app
if curl -fsS --max-time 3 -o /dev/null "http://127.0.0.1:$gateway_port/healthz" 2>/dev/null; then
  emit app.healthz pass "the gateway answers /healthz" "http://127.0.0.1:$gateway_port/healthz: ok"
else
  emit app.healthz fail "the gateway answers /healthz" "no answer on http://127.0.0.1:$gateway_port/healthz" "$up_fix"
fi
# mode owner: $1 path, $2 wanted owner (name or uid), $3 check id, $4 title, $5 chown spec
file_check() {
  local got
  if ! got=$(stat -c '%a %U %u' "$1" 2>/dev/null); then
    emit "$3" fail "$4" "$1 is missing" "rerun claw-setup"
    return
  fi
  read -r m u uid <<<"$got"
  if [ "$m" = 600 ] && { [ "$u" = "$2" ] || [ "$uid" = "$2" ]; }; then
    emit "$3" pass "$4" "$1: $m $u"
  else
    emit "$3" fail "$4" "$1: mode $m, owner $u (want 600, $2): it holds secrets" "sudo chmod 600 $1 && sudo chown $5 $1"
  fi
}
file_check "$env_file" "$deploy_user" app.env-file ".env is 600 and the deploy user's" "$deploy_user:$deploy_user"
file_check "$config_file" 10000 app.config-file "openclaw.json is 600 and the container user's (uid 10000)" 10000:10000
# Only the length leaves this shell: never the token.
tok=$(sed -n "s/^$token_var=//p" "$env_file" 2>/dev/null | head -n 1)
tok=${tok#\'}
tok=${tok%\'}
tok_len=${#tok}
unset tok
if [ "$tok_len" -ge 32 ]; then
  emit app.gateway-token pass "the gateway token is long" "$tok_len characters"
elif [ "$tok_len" -ge 24 ]; then
  emit app.gateway-token warn "the gateway token is long" "$tok_len characters (generated tokens have 64)" "rerun claw-setup with openclaw.gatewayToken: \"generate\""
else
  emit app.gateway-token fail "the gateway token is long" "$tok_len characters in $token_var (at least 24 needed)" "rerun claw-setup with openclaw.gatewayToken: \"generate\""
fi
# The date of the token's last rotation (claw-setup rotate records it; the first rollout too).
if [ -r "$token_stamp" ] && made=$(date -u -d "$(head -n 1 "$token_stamp")" +%s 2>/dev/null); then
  age_days=$(( ($(date -u +%s) - made) / 86400 ))
  if [ "$age_days" -le "$token_max_age_days" ]; then
    emit app.gateway-token-age pass "the gateway token is rotated regularly" "$age_days days old (limit $token_max_age_days)"
  else
    emit app.gateway-token-age warn "the gateway token is rotated regularly" "$age_days days old (limit $token_max_age_days, openclaw.tokenMaxAgeDays)" "claw-setup rotate gateway-token"
  fi
else
  emit app.gateway-token-age warn "the gateway token is rotated regularly" "no record of when it was made ($token_stamp)" "claw-setup rotate gateway-token"
fi

# ---- backups
if [ "$backups_enabled" = yes ]; then
  run_fix="sudo systemctl start openclaw-backup.service; then: journalctl -u openclaw-backup -n 20"
  newest=$(find "$backup_dir" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1)
  stamp=$(head -n 1 "$backup_dir/last-success" 2>/dev/null)
  if [ -n "$newest" ]; then
    age_h=$(( ($(date +%s) - ${newest%%.*}) / 3600 ))
    archive=${newest#* }
    if [ "$age_h" -ge "$backup_max_age_h" ]; then
      emit backups.recent fail "a recent backup exists" "newest $archive is ${age_h}h old (limit ${backup_max_age_h}h)" "$run_fix"
    else
      emit backups.recent pass "a recent backup exists" "newest $archive, ${age_h}h old"
    fi
    [ -n "$tar_pid" ] && wait "$tar_pid"
    mode=$(stat -c '%a %U' "$archive")
    if [ "$(cat "$tmp/tar.rc")" != 0 ]; then
      emit backups.verified fail "the newest backup reads back and is 600" "$archive does not read back (tar -tzf failed)" "$run_fix"
    elif [ "$mode" != '600 root' ]; then
      emit backups.verified fail "the newest backup reads back and is 600" "$archive: mode and owner $mode; it holds .env" "sudo chmod 600 $backup_dir/openclaw-*.tar.gz"
    else
      emit backups.verified pass "the newest backup reads back and is 600" "tar -tzf ok, $(du -h "$archive" | cut -f1), 600 root"
    fi
  elif [ -n "$stamp" ]; then
    emit backups.recent fail "a recent backup exists" "no archive in $backup_dir, but last-success says one was written at $stamp: the archives were deleted" "$run_fix"
  else
    made=$(stat -c %Y "$backup_dir" 2>/dev/null || echo 0)
    age_h=$(( ($(date +%s) - made) / 3600 ))
    if [ "$made" -gt 0 ] && [ "$age_h" -lt "$backup_max_age_h" ]; then
      emit backups.recent warn "a recent backup exists" "no backup yet ($backup_dir set up ${age_h}h ago; the first runs at the next timer)" "$run_fix"
    else
      where=$backup_dir
      [ "$made" -gt 0 ] || where="$backup_dir (the directory is missing)"
      emit backups.recent fail "a recent backup exists" "no backup in $where" "$run_fix"
    fi
  fi
  old=$(find "$backup_dir" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -mtime +"$((keep_days + 1))" 2>/dev/null | wc -l)
  if [ "$old" -eq 0 ]; then
    emit backups.retention pass "old backups are pruned" "none older than $keep_days days"
  else
    emit backups.retention warn "old backups are pruned" "$old archives older than $keep_days days" "$run_fix (the script prunes after a good archive)"
  fi
  if systemctl is-enabled --quiet openclaw-backup.timer 2>/dev/null && systemctl is-active --quiet openclaw-backup.timer 2>/dev/null; then
    emit backups.timer pass "the daily backup timer is on" "openclaw-backup.timer enabled, next: $(systemctl show -p NextElapseUSecRealtime --value openclaw-backup.timer 2>/dev/null)"
  else
    emit backups.timer fail "the daily backup timer is on" "openclaw-backup.timer is $(systemctl is-active openclaw-backup.timer 2>/dev/null)" "sudo systemctl enable --now openclaw-backup.timer (or rerun claw-setup)"
  fi
  # The monthly restore test: its timer is on, and its last run (if any) restored the newest archive.
  rt_fix="sudo systemctl start openclaw-restore-test.service; then: journalctl -u openclaw-restore-test -n 20"
  rt_result=$(systemctl show -p Result --value openclaw-restore-test.service 2>/dev/null)
  rt_when=$(systemctl show -p ExecMainExitTimestamp --value openclaw-restore-test.service 2>/dev/null)
  if ! systemctl is-enabled --quiet openclaw-restore-test.timer 2>/dev/null; then
    emit backups.restore-test fail "a restore is tested monthly" "openclaw-restore-test.timer is not enabled" "sudo systemctl enable --now openclaw-restore-test.timer (or rerun claw-setup)"
  elif [ -z "$rt_when" ] || [ "$rt_when" = n/a ]; then
    emit backups.restore-test pass "a restore is tested monthly" "not run yet; next: $(systemctl show -p NextElapseUSecRealtime --value openclaw-restore-test.timer 2>/dev/null)"
  elif [ "$rt_result" != success ]; then
    emit backups.restore-test fail "a restore is tested monthly" "the last restore test ($rt_when) failed: $rt_result" "$rt_fix"
  elif [ $(( ($(date +%s) - $(date -d "$rt_when" +%s 2>/dev/null || echo 0)) / 86400 )) -gt 40 ]; then
    emit backups.restore-test warn "a restore is tested monthly" "the last restore test passed, but at $rt_when (over 40 days ago)" "$rt_fix"
  else
    emit backups.restore-test pass "a restore is tested monthly" "the last restore test passed at $rt_when"
  fi
fi

# ---- monitoring
if [ "$monitoring_enabled" = yes ]; then
  if systemctl is-active --quiet openclaw-health.timer 2>/dev/null; then
    emit monitoring.timer pass "the health check timer is on" "openclaw-health.timer active"
  else
    emit monitoring.timer fail "the health check timer is on" "openclaw-health.timer is $(systemctl is-active openclaw-health.timer 2>/dev/null)" "sudo systemctl enable --now openclaw-health.timer (or rerun claw-setup)"
  fi
  targets=$(sed -n 's/^\(NTFY_URL\|DISCORD_WEBHOOK_URL\)=.*/\1/p' "$monitoring_env" 2>/dev/null | tr '\n' ' ')
  if [ -n "$targets" ]; then
    emit monitoring.alerts pass "alerts go somewhere" "targets: ${targets% }"
  else
    emit monitoring.alerts warn "alerts go somewhere" "no ntfy topic or Discord webhook: alerts only reach the server's journal" "set monitoring.ntfyTopic or monitoring.discordWebhook and rerun claw-setup"
  fi
fi

# ---- Tailscale
if [ "$tailscale_enabled" = yes ]; then
  tailscale_checks "$(tailscale status --json 2>/dev/null)"
fi


# ---- collect OpenClaw's own audit
checks_ms=$(( $(now_ms) - t_start ))
oc_ms=0
if [ -n "$oc_pid" ]; then
  wait "$oc_pid"
  read -r oc_rc oc_ms <"$tmp/oc.rc"
  if [ -s "$tmp/oc.out" ]; then
    cat "$tmp/oc.out"
  else
    emit app.openclaw-audit fail "OpenClaw security audit" "printed nothing (exit $oc_rc; 124 = timed out): $(head -c 200 "$tmp/oc.err")" "sudo docker exec $container node dist/index.js security audit"
  fi
else
  emit app.openclaw-audit fail "OpenClaw security audit" "not run: the gateway container is not running" "$up_fix"
fi
printf '{"meta":"timing","checks_ms":%d,"openclaw_audit_ms":%d,"total_ms":%d}\n' "$checks_ms" "$oc_ms" "$(( $(now_ms) - t_start ))"
printf '{"meta":"end"}\n'
CLAW_EOF
# GATE (on the server): every check of claw-setup audit passes (firewall, sshd, fail2ban, loopback-only gateway, container hardening, OpenClaw security audit and doctor) (only when this run changed something)
sh -c 'out=$("$1" "$2"); fails=$(printf '\''%s\n'\'' "$out" | grep '\''"status":"fail"'\''); if [ -n "$fails" ]; then printf '\''%s\n'\'' "$fails" | cut -c1-400 >&2; exit 1; fi; printf '\''%s\n'\'' "$out" | grep -q '\''"meta":"end"'\'' || { echo "the audit did not finish" >&2; exit 1; }; echo "audit: $(printf '\''%s\n'\'' "$out" | grep -c '\''"status":"pass"'\'') pass, $(printf '\''%s\n'\'' "$out" | grep -c '\''"status":"warn"'\'') warn, no failure"' sh /usr/local/sbin/claw-setup-audit 203.0.113.77 || exit 1
# GATE (on the server): no dead-man switch is left armed (nothing will be undone later)
sh -c '! grep -qsxE '\''armed|restoring'\'' /var/lib/claw-setup/deadman/*/state && ! systemctl list-units --no-legend --state=active,activating '\''claw-setup-deadman-*'\'' | grep -q .' || exit 1
# journal: answers, steps and what was verified (no secrets) (mode 0600, root:root)
claw_write 0600 root root /var/lib/claw-setup/journal.json <<'CLAW_EOF'
{
  "tool": "claw-setup",
  "version": "0.1.0",
  "answers": {
    "target": {
      "host": "203.0.113.10",
      "port": 22,
      "user": "root",
      "identityFile": "~/.ssh/id_ed25519"
    },
    "deployUser": {
      "name": "deploy",
      "sudoPassword": {
        "env": "CLAW_SUDO_PASSWORD"
      },
      "authorizedKeys": [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA0Nk10j5tE6Ti2y4h5ZMpiepRBVwezoTrBfGkuZpqr0 operator@laptop"
      ]
    },
    "operatorIp": "203.0.113.77",
    "ssh": {
      "port": 22,
      "maxAuthTries": 3,
      "allowTcpForwarding": "local",
      "loginGraceTime": 30
    },
    "tailscale": {
      "enabled": false,
      "authKey": {
        "env": "TS_AUTHKEY"
      },
      "hostname": "openclaw",
      "sshOnlyOverTailscale": false
    },
    "fail2ban": {
      "enabled": true,
      "maxRetry": 5,
      "findTime": "10m",
      "banTime": "1h"
    },
    "updates": {
      "unattended": true,
      "autoReboot": false,
      "rebootTime": "04:00"
    },
    "docker": {
      "install": true
    },
    "packages": {
      "source": "upstream"
    },
    "openclaw": {
      "version": "2026.9.6",
      "image": "ghcr.io/openclaw/openclaw",
      "tokenMaxAgeDays": 90,
      "gatewayPort": 18789,
      "bridgePort": 18790,
      "gatewayToken": "generate",
      "providers": {
        "anthropic": {
          "env": "ANTHROPIC_API_KEY"
        },
        "google": {
          "env": "GEMINI_API_KEY"
        }
      },
      "providerBaseUrls": {},
      "model": "auto",
      "tools": {
        "profile": "messaging",
        "deny": [
          "group:automation",
          "group:runtime",
          "group:fs",
          "group:nodes",
          "group:ui",
          "sessions_spawn",
          "sessions_send"
        ]
      },
      "sandbox": {
        "mode": "off",
        "network": "none"
      },
      "memoryLimit": "2g",
      "pidsLimit": 512,
      "cpus": 1,
      "terminal": false,
      "channels": [
        {
          "type": "telegram",
          "botToken": {
            "env": "TELEGRAM_BOT_TOKEN"
          },
          "dmPolicy": "allowlist",
          "allowFrom": [
            "123456789",
            "987654321"
          ],
          "requireMention": true,
          "groups": []
        },
        {
          "type": "whatsapp",
          "dmPolicy": "allowlist",
          "allowFrom": [
            "+15555550123"
          ],
          "requireMention": true
        },
        {
          "type": "discord",
          "token": {
            "env": "DISCORD_BOT_TOKEN"
          },
          "dmPolicy": "pairing",
          "allowFrom": [
            "123456789012345678"
          ],
          "requireMention": false,
          "guilds": [
            "223456789012345678"
          ]
        },
        {
          "type": "slack",
          "botToken": {
            "env": "SLACK_BOT_TOKEN"
          },
          "appToken": {
            "env": "SLACK_APP_TOKEN"
          },
          "dmPolicy": "allowlist",
          "allowFrom": [
            "U0123ABCDEF"
          ],
          "requireMention": true,
          "channels": [
            "C0123ABCDEF"
          ]
        }
      ],
      "egress": {
        "mode": "public",
        "allow": []
      }
    },
    "access": {
      "mode": "ssh-tunnel"
    },
    "backups": {
      "enabled": true,
      "dir": "/var/backups/openclaw",
      "keepDays": 14,
      "time": "03:00",
      "ageRecipient": null,
      "offsite": null
    },
    "monitoring": {
      "enabled": false,
      "ntfyTopic": null,
      "ntfyServer": "https://ntfy.sh",
      "discordWebhook": null,
      "diskWarnPercent": 85,
      "memWarnPercent": 90,
      "backupMaxAgeHours": 36,
      "interval": "5m"
    },
    "stopBefore": null
  },
  "steps": [
    "preflight",
    "base",
    "user",
    "login-gate",
    "firewall",
    "ssh",
    "fail2ban",
    "docker",
    "egress",
    "openclaw",
    "access",
    "backups"
  ],
  "verified": [
    "the gateway is healthy",
    "every check of claw-setup audit passes (firewall, sshd, fail2ban, loopback-only gateway, container hardening, OpenClaw security audit and doctor)",
    "no dead-man switch is left armed (nothing will be undone later)"
  ]
}
CLAW_EOF
