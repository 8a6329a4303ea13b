/**
 * The host half of the audit script (bash, run as root): sshd, firewall, fail2ban, updates,
 * listening sockets, dead-man switch, disk, memory, clock. Written with `@{` for bash's `${`
 * (see audit-script.ts); each check calls `emit ID STATUS CHECK EVIDENCE FIX`.
 */
export const HOST_CHECKS = String.raw`
# ---- sshd: effective settings (sshd -T), the first value read wins
declare -A sshd=()
sshd_t=$(sshd -T 2>"$tmp/sshd.err")
sshd_rc=$?
while read -r k v; do
  [ -n "$k" ] && [ -z "@{sshd[$k]+x}" ] && sshd[$k]=$v
done <<<"$sshd_t"
# The config files that set keyword $1 to value $2 (case-insensitive), in the order sshd reads them.
set_by() {
  local f files=''
  for f in /etc/ssh/sshd_config.d/*.conf /etc/ssh/sshd_config; do
    [ -f "$f" ] && grep -qiE "^[[:space:]]*$1[[:space:]]+$2([[:space:]]|$)" "$f" && files+="$f "
  done
  [ -n "$files" ] && printf ' (set to %s in %s)' "$2" "@{files% }"
}
reload_fix='then: sudo sshd -t && sudo systemctl reload ssh (or rerun claw-setup, which writes /etc/ssh/sshd_config.d/00-claw-setup.conf)'
if [ "$sshd_rc" -ne 0 ]; then
  emit ssh.config fail "sshd configuration is valid" "sshd -T failed: $(head -c 300 "$tmp/sshd.err")" "run sudo sshd -t, fix the file it names, $reload_fix"
else
  v=@{sshd[permitrootlogin]:-unset}
  if [ "$v" = no ]; then
    emit ssh.root-login pass "sshd refuses root login" "permitrootlogin no"
  else
    emit ssh.root-login fail "sshd refuses root login" "permitrootlogin $v$(set_by PermitRootLogin "$v")" "set PermitRootLogin no in the first file sshd reads (files in sshd_config.d/ are read in name order), $reload_fix"
  fi
  pw=@{sshd[passwordauthentication]:-unset}
  kbd=@{sshd[kbdinteractiveauthentication]:-unset}
  if [ "$pw" = no ] && [ "$kbd" = no ]; then
    emit ssh.password-login pass "sshd refuses password login" "passwordauthentication no, kbdinteractiveauthentication no"
  else
    by="$(set_by PasswordAuthentication yes)$(set_by KbdInteractiveAuthentication yes)"
    emit ssh.password-login fail "sshd refuses password login" "passwordauthentication $pw, kbdinteractiveauthentication $kbd$by" "remove PasswordAuthentication yes / KbdInteractiveAuthentication yes from the files named (sshd keeps the first value it reads), $reload_fix"
  fi
  diffs=''
  while read -r k want; do
    case $k in '' | permitrootlogin | passwordauthentication | kbdinteractiveauthentication) continue ;; esac
    have=@{sshd[$k]:-unset}
    [ "@{have,,}" = "@{want,,}" ] || diffs+="$k $have (want $want); "
  done <<<"$sshd_expect"
  if [ -z "$diffs" ]; then
    emit ssh.settings pass "sshd settings as claw-setup set them" "$(wc -l <<<"$sshd_expect") settings match (allowusers @{sshd[allowusers]:-unset}, maxauthtries @{sshd[maxauthtries]:-unset})"
  else
    emit ssh.settings warn "sshd settings as claw-setup set them" "@{diffs%; }" "an earlier drop-in or sshd_config overrides these; rerun claw-setup or edit the files, $reload_fix"
  fi
  weak=''
  for kw in kexalgorithms hostkeyalgorithms macs; do
    IFS=, read -ra offered <<<"@{sshd[$kw]:-}"
    for alg in "@{offered[@]}"; do
      case " $weak_algorithms " in *" $alg "*) weak+="$alg " ;; esac
    done
  done
  if [ -z "$weak" ]; then
    emit ssh.algorithms pass "sshd offers no weak algorithms" "no NIST-curve kex or ECDSA host key, no SHA-1 or 64-bit MAC offered"
  else
    emit ssh.algorithms warn "sshd offers no weak algorithms" "offered: @{weak% }" "rerun claw-setup (its drop-in removes them), $reload_fix"
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
  sources=@{sources% }
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
    emit fail2ban.sshd pass "fail2ban guards sshd" "jail sshd up: @{banned:-?} banned now, @{total:-?} in total"
  else
    emit fail2ban.sshd fail "fail2ban guards sshd" "$(head -n 1 <<<"$f2b")" "sudo systemctl restart fail2ban && sudo fail2ban-client status sshd (or rerun claw-setup)"
  fi
fi

# ---- updates (the simulation was started in the background at the top)
wait "$apt_pid"
all=$(grep -c '^Inst ' "$tmp/apt.sim")
sec=$(grep '^Inst ' "$tmp/apt.sim" | grep -i -- '-security' | awk '{ print $2 }' | tr '\n' ' ')
lists=$(find /var/lib/apt/lists -maxdepth 1 -type f -printf '%T@\n' 2>/dev/null | sort -n | tail -n 1)
lists_h=$(( ($(date +%s) - @{lists%.*}) / 3600 ))
if [ -z "$sec" ]; then
  emit updates.security pass "no security updates pending" "0 security, $all other pending; package lists @{lists_h}h old"
else
  emit updates.security warn "no security updates pending" "$(wc -w <<<"$sec") security updates pending: @{sec:0:200}; package lists @{lists_h}h old" "sudo apt-get update && sudo apt-get upgrade (unattended-upgrades applies them daily)"
fi
if [ -f /run/reboot-required ]; then
  emit updates.reboot warn "no reboot required" "reboot required by: $(sort -u /run/reboot-required.pkgs 2>/dev/null | head -n 5 | tr '\n' ' ')" "sudo reboot at a quiet time (the gateway comes back by itself)"
else
  emit updates.reboot pass "no reboot required" "no /run/reboot-required"
fi
uu_on=$(apt-config dump APT::Periodic::Unattended-Upgrade 2>/dev/null | sed -n 's/^APT::Periodic::Unattended-Upgrade "\(.*\)";$/\1/p')
uu_pkg=$(dpkg-query -W -f '@{Status}' unattended-upgrades 2>/dev/null)
uu_timer=$(systemctl is-active apt-daily-upgrade.timer 2>/dev/null)
if [ "$uu_pkg" != 'install ok installed' ] || [ "@{uu_on:-0}" = 0 ] || [ "$uu_timer" != active ]; then
  st=fail
  [ "$unattended_wanted" = yes ] || st=warn
  emit updates.unattended "$st" "unattended security upgrades are on" "package: @{uu_pkg:-not installed}; APT::Periodic::Unattended-Upgrade @{uu_on:-unset}; apt-daily-upgrade.timer $uu_timer" "rerun claw-setup with updates.unattended: true"
else
  log=/var/log/unattended-upgrades/unattended-upgrades.log
  if [ -f "$log" ]; then
    ran_h=$(( ($(date +%s) - $(stat -c %Y "$log")) / 3600 ))
    if [ "$ran_h" -le 72 ]; then
      emit updates.unattended pass "unattended security upgrades are on" "on; last ran @{ran_h}h ago"
    else
      emit updates.unattended warn "unattended security upgrades are on" "on, but last ran @{ran_h}h ago" "journalctl -u apt-daily-upgrade -n 50 shows why"
    fi
  else
    since_h=$(( ($(date +%s) - $(stat -c %Y "$journal" 2>/dev/null || date +%s)) / 3600 ))
    if [ "$since_h" -le 48 ]; then
      emit updates.unattended pass "unattended security upgrades are on" "on; not run yet (set up @{since_h}h ago, it runs daily)"
    else
      emit updates.unattended warn "unattended security upgrades are on" "on, but it has never run in @{since_h}h" "journalctl -u apt-daily-upgrade -n 50 shows why"
    fi
  fi
fi

# ---- listening sockets on public addresses
gw_public=''
others=''
while read -r net _ _ _ local _ proc; do
  [ -n "$net" ] || continue
  case $local in 127.* | '[::1]'* | *%lo:* | '[::ffff:127.'*) continue ;; esac
  port=@{local##*:}
  name=unknown
  [[ $proc =~ \"([^\"]+)\" ]] && name=@{BASH_REMATCH[1]}
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
  emit network.gateway-loopback fail "the gateway listens on loopback only" "on a public address: @{gw_public% } (Docker's published ports bypass ufw)" "publish the ports as 127.0.0.1:PORT:PORT in $compose_file (rerun claw-setup restores it), then: cd $compose_dir && sudo docker compose up -d"
fi
if [ -z "$others" ]; then
  emit network.public-listeners pass "nothing else listens on a public address" "only sshd on $ssh_port@{allowed_public:+ and $allowed_public}"
else
  emit network.public-listeners warn "nothing else listens on a public address" "@{others% }" "stop what you do not need; ufw blocks the rest unless Docker publishes it"
fi

# ---- dead-man switch: nothing armed that would undo a change later
if sh -c "$deadman_check"; then
  emit deadman.none-armed pass "no claw-setup dead-man switch is armed" "no armed group, no claw-setup-deadman-* unit active"
else
  armed=$(grep -lsxE 'armed|restoring' "$deadman_root"/*/state | xargs -r -n1 dirname | xargs -r -n1 basename | tr '\n' ' ')
  units=$(systemctl list-units --no-legend --plain --state=active,activating 'claw-setup-deadman-*' 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')
  armed=@{armed% }
  units=@{units% }
  emit deadman.none-armed fail "no claw-setup dead-man switch is armed" "armed groups: @{armed:-none}; active units: @{units:-none}: a timer will undo a change" "an interrupted claw-setup run left this: run claw-setup again (it restores and re-applies); a unit that is not claw-setup's: sudo systemctl stop @{units:-UNIT}"
fi

# ---- disk, memory, clock
disk=$(df --output=pcent / | tail -n 1 | tr -dc '0-9')
avail=$(df -h --output=avail / | tail -n 1 | tr -d ' ')
st=pass
[ "@{disk:-100}" -ge "$disk_warn" ] && st=warn
[ "@{disk:-100}" -ge 95 ] && st=fail
emit host.disk "$st" "disk headroom on /" "@{disk:-?}% used, $avail free (warn at $disk_warn%)" "$([ "$st" = pass ] || echo 'free space: sudo docker system prune, sudo journalctl --vacuum-size=200M, old backups')"
mem=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { if (t > 0) printf "%d %d", (t - a) * 100 / t, a / 1024 }' /proc/meminfo)
mem_used=@{mem% *}
st=pass
[ "@{mem_used:-100}" -ge "$mem_warn" ] && st=warn
[ "@{mem_used:-100}" -ge 97 ] && st=fail
emit host.memory "$st" "memory headroom" "@{mem_used:-?}% used, @{mem#* } MiB available (warn at $mem_warn%)" "$([ "$st" = pass ] || echo 'find the biggest users: ps aux --sort=-rss | head; a bigger server or a lower openclaw.memoryLimit')"
ntp=$(timedatectl show -p NTPSynchronized --value 2>/dev/null)
syncd=$(for s in systemd-timesyncd chrony chronyd ntpsec ntp openntpd; do systemctl is-active --quiet "$s" 2>/dev/null && echo "$s"; done | head -n 1)
virt=$(systemd-detect-virt --container 2>/dev/null)
if [ "$ntp" = yes ]; then
  emit host.time-sync pass "the clock is synchronized" "NTPSynchronized=yes@{syncd:+ ($syncd)}"
elif [ -n "$virt" ] && [ "$virt" != none ]; then
  emit host.time-sync pass "the clock is synchronized" "a $virt container: the clock is the host's"
elif [ -n "$syncd" ]; then
  emit host.time-sync warn "the clock is synchronized" "$syncd runs but the clock is not synchronized yet" "timedatectl timesync-status; check that UDP 123 outbound is allowed"
else
  emit host.time-sync warn "the clock is synchronized" "no time sync service runs" "sudo apt-get install systemd-timesyncd (or chrony)"
fi
`;
