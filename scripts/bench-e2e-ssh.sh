#!/usr/bin/env bash
# bench-e2e-ssh.sh: stands in front of the OpenSSH client during `npm run bench:e2e` (linked as
# `ssh` and `ssh-keyscan` in a directory put first on the CLI's PATH). It records when each
# client process starts and what kind it is, then execs the real client, so the benchmark can
# count connections and round trips per step without the CLI printing anything new. Only the
# kind is logged, never the argv (the remote command is not secret, but the log needs no more).
set -u
kind=mux
case "$(basename "$0")" in
  ssh-keyscan) kind=keyscan real=${BENCH_REAL_KEYSCAN:?} ;;
  *) real=${BENCH_REAL_SSH:?} ;;
esac
if [ "$kind" = mux ]; then
  for a in "$@"; do
    case "$a" in
      -G) kind=config ;;
      -O) kind=control ;;
      ControlMaster=yes) kind=master ;;
      ControlPath=none) kind=fresh ;;
    esac
  done
fi
# EPOCHREALTIME (bash 5) saves spawning date(1) on every call.
printf '%s %s\n' "${EPOCHREALTIME/./}" "$kind" >>"${BENCH_SSH_LOG:?}"
exec "$real" "$@"
