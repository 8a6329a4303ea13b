/**
 * A systemd drop-in for the services that keep the operator's way in (sshd, tailscaled), so a
 * runaway agent in the gateway container cannot lock anyone out (OpenClaw #23409: agent workers
 * ate the RAM until SSH stopped answering and the box needed a hard reboot).
 *
 * What each line does, on the two cgroup layouts a VPS may have:
 * - OOMScoreAdjust: per process, works everywhere. -900 keeps the service (and the sessions it
 *   starts) near the end of the kernel's list in a host-wide out-of-memory; the gateway container
 *   runs at +500 (GATEWAY_OOM_SCORE_ADJ), so it goes first. Not -1000: a session that runs away
 *   itself can still be killed. In a container without CAP_SYS_RESOURCE systemd skips it.
 * - CPUWeight: cgroup v2 weight (default 100); on a cgroup v1 host systemd writes it as cpu.shares
 *   (10 x 1024 / 100). Under CPU contention the service is scheduled first.
 * - MemoryMin: cgroup v2 only (systemd ignores it on v1): memory the kernel never reclaims from
 *   the service, so its pages are not swapped or dropped while the container thrashes.
 */
export const GUARD_OOM_SCORE_ADJ = -900;
export const GUARD_CPU_WEIGHT = 1000;
export const GUARD_MEMORY_MIN = '64M';

/** The drop-in's file name under /etc/systemd/system/UNIT.service.d/. */
export const GUARD_DROP_IN = 'claw-setup-guard.conf';

export function renderServiceGuard(unit: string): string {
  return `# Written by claw-setup: the OpenClaw container must not be able to starve ${unit}.
# Rerun claw-setup to change it. systemctl show ${unit} shows the values in effect.
[Service]
OOMScoreAdjust=${GUARD_OOM_SCORE_ADJ}
CPUWeight=${GUARD_CPU_WEIGHT}
MemoryMin=${GUARD_MEMORY_MIN}
`;
}
