#!/usr/bin/env bash
# claw-setup 0.1.0: plan for root@203.0.113.10:22
# Planned without a connection, for a fresh Ubuntu 24.04 LTS server (--os to change). Operator IP: 203.0.113.77.
# Steps: preflight, base, user, login-gate, firewall, ssh, fail2ban, docker, openclaw, access, backups, verify.
# Secrets appear as <secret:NAME>: their values only ever reach a process's stdin or a mode-600 file.
# Commands run on the server as root. GATE lines are checks; those marked "from your laptop" run
# over a brand-new SSH connection and must pass before anything after them runs.
set -euo pipefail
umask 077

# ═══ Step 1/12: preflight — Preflight checks
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

# ═══ Step 2/12: base — Base packages and unattended upgrades
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
install -m 0644 -o root -g root /dev/stdin /etc/apt/apt.conf.d/20auto-upgrades <<'CLAW_EOF'
// Written by claw-setup.
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT::Periodic::AutocleanInterval "7";
CLAW_EOF
# unattended-upgrades origins (security, Docker) and reboot policy (mode 0644, root:root)
install -m 0644 -o root -g root /dev/stdin /etc/apt/apt.conf.d/52claw-setup-unattended-upgrades <<'CLAW_EOF'
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

# ═══ Step 3/12: user — Deploy user "deploy"
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
install -m 0600 -o deploy -g deploy /dev/stdin /home/deploy/.ssh/authorized_keys <<'CLAW_EOF'
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA0Nk10j5tE6Ti2y4h5ZMpiepRBVwezoTrBfGkuZpqr0 operator@laptop
CLAW_EOF

# ═══ Step 4/12: login-gate — Fresh-login gate
#     logs in as deploy from a brand-new connection with only your key, then checks sudo
# GATE (from your laptop, fresh connection): log in as deploy from a fresh connection and run sudo
#   ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o IdentitiesOnly=yes -i '~/.ssh/id_ed25519' -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes -o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o LogLevel=ERROR -o ConnectTimeout=15 -p 22 -l deploy -- 203.0.113.10 'sudo -S -k -p '\'''\'' true'  # sudo password on stdin

# ═══ Step 5/12: firewall — Firewall (guarded)
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
install -m 0700 -o root -g root /dev/stdin /var/lib/claw-setup/deadman/firewall/deadman.sh <<'CLAW_EOF'
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
        if ! cp -a --parents "$p" "$dir/files/" || ! diff -r --no-dereference "$p" "$dir/files$p" >/dev/null 2>&1; then
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
            rm -rf "$p.claw-restore"
            if cp -a "$dir/files$p" "$p.claw-restore" && rm -rf "$p" && mv "$p.claw-restore" "$p"; then :; else
              say "could not put $p back"
              rc=1
            fi
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
install -m 0644 -o root -g root /dev/stdin /etc/systemd/system/claw-setup-deadman-boot@.service <<'CLAW_EOF'
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

# ═══ Step 6/12: ssh — SSH tightening (guarded)
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
install -m 0700 -o root -g root /dev/stdin /var/lib/claw-setup/deadman/ssh/deadman.sh <<'CLAW_EOF'
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
        if ! cp -a --parents "$p" "$dir/files/" || ! diff -r --no-dereference "$p" "$dir/files$p" >/dev/null 2>&1; then
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
            rm -rf "$p.claw-restore"
            if cp -a "$dir/files$p" "$p.claw-restore" && rm -rf "$p" && mv "$p.claw-restore" "$p"; then :; else
              say "could not put $p back"
              rc=1
            fi
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
install -m 0644 -o root -g root /dev/stdin /etc/systemd/system/claw-setup-deadman-boot@.service <<'CLAW_EOF'
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
install -m 0644 -o root -g root /dev/stdin /etc/ssh/sshd_config.d/00-claw-setup.conf <<'CLAW_EOF'
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

# ═══ Step 7/12: fail2ban — fail2ban
#     sshd jail: 5 failures in 10m → banned for 1h; never bans 203.0.113.77
# fail2ban sshd jail (backend systemd, ignoreip) (mode 0644, root:root)
install -m 0644 -o root -g root /dev/stdin /etc/fail2ban/jail.d/claw-setup.local <<'CLAW_EOF'
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

# ═══ Step 8/12: docker — Docker Engine
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
install -m 0644 -o root -g root /dev/stdin /etc/apt/sources.list.d/docker.sources <<'CLAW_EOF'
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
install -m 0644 -o root -g root /dev/stdin /etc/docker/daemon.json <<'CLAW_EOF'
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

# ═══ Step 9/12: openclaw — OpenClaw 2026.9.6
#     ghcr.io/openclaw/openclaw:2026.9.6 on 127.0.0.1:18789 only; token auth; 4 channel(s); 7 tools denied
#     files in /home/deploy/openclaw (.env and openclaw.json mode 600)
# create /home/deploy/openclaw (owner deploy, 700)
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/openclaw 2>/dev/null)" = "700 $(id -u deploy)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o deploy -g deploy /home/deploy/openclaw
fi
# create /home/deploy/openclaw/config (uid 1000, 700)
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/openclaw/config 2>/dev/null)" = "700 $(id -u 1000)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o 1000 -g 1000 /home/deploy/openclaw/config
fi
# create /home/deploy/openclaw/workspace (uid 1000, 700)
if ! { sh -c '[ "$(stat -c '\''%a %u'\'' /home/deploy/openclaw/workspace 2>/dev/null)" = "700 $(id -u 1000)" ]'; } >/dev/null 2>&1; then
  install -d -m 0700 -o 1000 -g 1000 /home/deploy/openclaw/workspace
fi
# secrets for the container (.env, mode 600) (mode 0600, deploy:deploy)
install -m 0600 -o deploy -g deploy /dev/stdin /home/deploy/openclaw/.env <<'CLAW_EOF'
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
# docker-compose.yml (ports on 127.0.0.1 only) (mode 0600, deploy:deploy)
install -m 0600 -o deploy -g deploy /dev/stdin /home/deploy/openclaw/docker-compose.yml <<'CLAW_EOF'
# OpenClaw gateway, written by claw-setup. Rerun claw-setup to change it.
#
# - Ports are published on 127.0.0.1 only: Docker's published ports bypass ufw, so
#   nothing here may listen on a public address. Reach the gateway through the SSH
#   tunnel, Tailscale Serve or Caddy, which all connect to 127.0.0.1.
# - Inside the container the gateway binds "lan" (0.0.0.0), because container
#   loopback is unreachable through port publishing.
# - Secrets come from .env (mode 600) through env_file; openclaw.json refers to them.
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
    user: "1000:1000"
    init: true
    restart: "unless-stopped"
    stop_grace_period: "30s"
    security_opt:
      - "no-new-privileges:true"
    cap_drop:
      - "ALL"
    mem_limit: "2g"
    pids_limit: 512
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
    ipam:
      config:
        - subnet: "172.31.240.0/24"
          gateway: "172.31.240.1"
CLAW_EOF
# openclaw.json (mode 0600, 1000:1000)
install -m 0600 -o 1000 -g 1000 /dev/stdin /home/deploy/openclaw/config/openclaw.json <<'CLAW_EOF'
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
# GATE (on the server): OpenClaw accepts the config (its own validator)
docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml run --rm --no-deps -T openclaw-gateway node dist/index.js config validate || exit 1
# (re)create the gateway with the new files (only when a file above changed)
docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml up -d --force-recreate --remove-orphans
# start the gateway if it is not running
if ! { sh -c 'docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml ps --status running --quiet openclaw-gateway | grep -q .'; } >/dev/null 2>&1; then
  docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml up -d
fi
# GATE (on the server): the gateway answers /healthz on 127.0.0.1 (retried up to 30 times, 2s apart)
curl -fsS --max-time 5 -o /dev/null http://127.0.0.1:18789/healthz || exit 1

# ═══ Step 10/12: access — Access to the Control UI
#     SSH tunnel: nothing is exposed, nothing to install
# NOTE: open a tunnel: ssh -N -L 18789:127.0.0.1:18789 -p 22 deploy@203.0.113.10
# NOTE: then browse to http://localhost:18789/
# NOTE: the gateway token is in /home/deploy/openclaw/.env (OPENCLAW_GATEWAY_TOKEN); read it with: ssh -p 22 deploy@203.0.113.10 sudo grep OPENCLAW_GATEWAY_TOKEN /home/deploy/openclaw/.env

# ═══ Step 11/12: backups — Backups
#     daily at 03:00 UTC into /var/backups/openclaw, each archive verified, kept 14 days
# create /var/backups/openclaw (root only)
if ! { test -d /var/backups/openclaw; } >/dev/null 2>&1; then
  install -d -m 0700 /var/backups/openclaw
fi
# openclaw-backup script (mode 0700, root:root)
install -m 0700 -o root -g root /dev/stdin /usr/local/sbin/openclaw-backup <<'CLAW_EOF'
#!/usr/bin/env bash
# OpenClaw backup, written by claw-setup; run daily by openclaw-backup.timer.
# Archives /home/deploy/openclaw (compose file, .env, config/, workspace/) into
# /var/backups/openclaw/openclaw-<UTC time>.tar.gz, checks that the archive reads back,
# deletes archives older than 14 days, then stamps /var/backups/openclaw/last-success
# (openclaw-health alerts when that stamp gets old). Any failure exits non-zero.
# Paths in the archive are relative to /, so a restore is (gateway stopped first):
#   tar -xzf /var/backups/openclaw/openclaw-<UTC time>.tar.gz -C /
set -euo pipefail
umask 077

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

date -u +%Y-%m-%dT%H:%M:%SZ >"$dest/last-success.tmp"
echo "$archive" >>"$dest/last-success.tmp"
mv "$dest/last-success.tmp" "$dest/last-success"
echo "openclaw-backup: wrote $archive ($(du -h "$archive" | cut -f1))"
CLAW_EOF
# openclaw-backup.service (mode 0644, root:root)
install -m 0644 -o root -g root /dev/stdin /etc/systemd/system/openclaw-backup.service <<'CLAW_EOF'
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
# Reads files owned by the container user (uid 1000); writes only root-owned ones.
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
CLAW_EOF
# openclaw-backup.timer (mode 0644, root:root)
install -m 0644 -o root -g root /dev/stdin /etc/systemd/system/openclaw-backup.timer <<'CLAW_EOF'
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
# NOTE: restore: sudo tar -xzf /var/backups/openclaw/openclaw-<date>.tar.gz -C / (stop the gateway first)

# ═══ Step 12/12: verify — Final verification
#     re-checks firewall, sshd, fail2ban, that the gateway is on loopback only, OpenClaw's own security audit (0 critical) and that no dead-man switch is armed; writes the journal
# GATE (on the server): ufw is active with default deny incoming
sh -c 'ufw status verbose | grep -q '\''^Status: active'\'' && ufw status verbose | grep -q '\''deny (incoming)'\''' || exit 1
# GATE (on the server): sshd: no root, no passwords
sh -c 'sshd -T | grep -qx '\''permitrootlogin no'\'' && sshd -T | grep -qx '\''passwordauthentication no'\''' || exit 1
# GATE (on the server): fail2ban guards sshd
fail2ban-client status sshd || exit 1
# GATE (on the server): the gateway listens on loopback only
sh -c '! ss -Hltn | awk '\''{print $4}'\'' | grep -E '\'':(18789|18790)$'\'' | grep -vE '\''^(127\.0\.0\.1|\[::1\]):'\''' || exit 1
# GATE (on the server): the gateway is healthy (retried up to 5 times, 2s apart)
curl -fsS --max-time 5 -o /dev/null http://127.0.0.1:18789/healthz || exit 1
# GATE (on the server): OpenClaw's own security audit finds nothing critical
docker compose --project-directory /home/deploy/openclaw -f /home/deploy/openclaw/docker-compose.yml exec -T openclaw-gateway sh -c 'node dist/index.js security audit --json | node -e '\'' let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {   let j; try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch { console.error("security audit printed no JSON"); process.exit(1); }   const crit = (j.findings || []).filter((f) => f.severity === "critical");   for (const f of crit) console.error(`critical ${f.checkId}: ${f.title}${f.remediation ? ` (fix: ${f.remediation})` : ""}`);   const n = (j.summary && j.summary.critical) || crit.length;   console.log(`security audit: ${n} critical, ${(j.summary && j.summary.warn) || 0} warn, ${(j.summary && j.summary.info) || 0} info`);   process.exit(n ? 1 : 0); });'\''' || exit 1
# GATE (on the server): no dead-man switch is left armed (nothing will be undone later)
sh -c '! grep -qsxE '\''armed|restoring'\'' /var/lib/claw-setup/deadman/*/state && ! systemctl list-units --no-legend --state=active,activating '\''claw-setup-deadman-*'\'' | grep -q .' || exit 1
# journal: answers, steps and what was verified (no secrets) (mode 0600, root:root)
install -m 0600 -o root -g root /dev/stdin /var/lib/claw-setup/journal.json <<'CLAW_EOF'
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
      ]
    },
    "access": {
      "mode": "ssh-tunnel"
    },
    "backups": {
      "enabled": true,
      "dir": "/var/backups/openclaw",
      "keepDays": 14,
      "time": "03:00"
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
    "openclaw",
    "access",
    "backups"
  ],
  "verified": [
    "ufw is active with default deny incoming",
    "sshd: no root, no passwords",
    "fail2ban guards sshd",
    "the gateway listens on loopback only",
    "the gateway is healthy",
    "OpenClaw's own security audit finds nothing critical",
    "no dead-man switch is left armed (nothing will be undone later)"
  ]
}
CLAW_EOF
