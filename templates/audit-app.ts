import { CONTAINER_UID } from './gateway-shared.js';

/**
 * The container, app, backup, monitoring and Tailscale half of the audit script (bash, as root).
 * `@{` stands for bash's `${` (see audit-script.ts). The gateway container was inspected once at
 * the top (`ins`); no field that could hold a secret (Config.Env) is ever read.
 */
export const APP_CHECKS = String.raw`
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
  if [ "@{c_mem:-0}" -gt 0 ] 2>/dev/null && [ "@{c_pids:-0}" -gt 0 ] 2>/dev/null; then
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
    c_ports=@{c_ports% }
    emit container.ports pass "ports published on 127.0.0.1 only" "@{c_ports:-none}"
  else
    emit container.ports fail "ports published on 127.0.0.1 only" "published on all addresses: @{bad_ports% } (Docker bypasses ufw)" "use 127.0.0.1:PORT:PORT in $compose_file (rerun claw-setup restores it), then: cd $compose_dir && sudo docker compose up -d"
  fi
  if [[ " $c_mounts " == *docker.sock* ]]; then
    emit container.docker-socket fail "no Docker socket inside" "mounted: $c_mounts" "remove the docker.sock volume (it is root on the host), rerun claw-setup"
  else
    emit container.docker-socket pass "no Docker socket inside" "mounts: @{c_mounts% }"
  fi
  if { [ "$c_logtype" = json-file ] && [[ $c_logcfg == *max-size* ]]; } || [ "$c_logtype" = local ] || [ "$c_logtype" = journald ]; then
    emit container.log-rotation pass "container logs are rotated" "$c_logtype $c_logcfg"
  else
    emit container.log-rotation warn "container logs are rotated" "$c_logtype $c_logcfg: logs grow without limit" "rerun claw-setup (compose: json-file, max-size 10m, max-file 3)"
  fi
  # The small room: its own uid (not the deploy user's, who could read its environment), a read-only root.
  IFS='|' read -r c_user c_ro c_cpus c_oom <<<"$(docker inspect -f '{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.OomScoreAdj}}' "$container" 2>/dev/null)"
  if [ "$c_user" = ${CONTAINER_UID}:${CONTAINER_UID} ] && [ "$c_ro" = true ]; then
    emit container.room pass "its own user, a read-only root" "user $c_user, read-only root, cpus $(awk -v n="@{c_cpus:-0}" 'BEGIN { printf "%.2f", n / 1e9 }'), oom_score_adj $c_oom"
  else
    emit container.room fail "its own user, a read-only root" "user @{c_user:-image default}, read-only root $c_ro (want ${CONTAINER_UID}:${CONTAINER_UID}, true)" "rerun claw-setup (it moves the files to uid ${CONTAINER_UID} and recreates the container)"
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
file_check "$config_file" ${CONTAINER_UID} app.config-file "openclaw.json is 600 and the container user's (uid ${CONTAINER_UID})" ${CONTAINER_UID}:${CONTAINER_UID}
# Only the length leaves this shell: never the token.
tok=$(sed -n "s/^$token_var=//p" "$env_file" 2>/dev/null | head -n 1)
tok=@{tok#\'}
tok=@{tok%\'}
tok_len=@{#tok}
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
    age_h=$(( ($(date +%s) - @{newest%%.*}) / 3600 ))
    archive=@{newest#* }
    if [ "$age_h" -ge "$backup_max_age_h" ]; then
      emit backups.recent fail "a recent backup exists" "newest $archive is @{age_h}h old (limit @{backup_max_age_h}h)" "$run_fix"
    else
      emit backups.recent pass "a recent backup exists" "newest $archive, @{age_h}h old"
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
      emit backups.recent warn "a recent backup exists" "no backup yet ($backup_dir set up @{age_h}h ago; the first runs at the next timer)" "$run_fix"
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
    emit monitoring.alerts pass "alerts go somewhere" "targets: @{targets% }"
  else
    emit monitoring.alerts warn "alerts go somewhere" "no ntfy topic or Discord webhook: alerts only reach the server's journal" "set monitoring.ntfyTopic or monitoring.discordWebhook and rerun claw-setup"
  fi
fi

# ---- Tailscale
if [ "$tailscale_enabled" = yes ]; then
  tailscale_checks "$(tailscale status --json 2>/dev/null)"
fi
`;
