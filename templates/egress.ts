import type { Answers } from '../src/answers/schema.js';
import { egressAllowList, type EgressAllow } from '../src/answers/egress.js';
import { COMPOSE_BRIDGE, TAILNET_RANGE } from '../src/plan/paths.js';

/** Where the egress rules live on the server. */
export const EGRESS_SCRIPT = '/usr/local/sbin/claw-setup-egress';
export const EGRESS_UNIT = 'claw-setup-egress.service';
export const EGRESS_SERVICE = `/etc/systemd/system/${EGRESS_UNIT}`;
/** Watches the host's nameservers: DNS to them is allowed, so the rules follow when they change (DHCP, resolved). */
export const EGRESS_DNS_UNIT = 'claw-setup-egress-dns';
export const EGRESS_DNS_PATH = `/etc/systemd/system/${EGRESS_DNS_UNIT}.path`;
export const EGRESS_DNS_SERVICE = `/etc/systemd/system/${EGRESS_DNS_UNIT}.service`;
/** Our chains: CLAW-EGRESS (jumped to from DOCKER-USER) and CLAW-HOST (first in INPUT). */
export const EGRESS_CHAIN = 'CLAW-EGRESS';
export const HOST_CHAIN = 'CLAW-HOST';

/**
 * Dropped in mode "public", each with why. IPv4: "this network", RFC 1918, CGNAT (Tailscale's
 * tailnet, Alibaba's metadata at 100.100.100.200), link-local (the metadata service of AWS, GCP,
 * Azure, Oracle, DigitalOcean, Hetzner at 169.254.169.254), and Azure's WireServer (a public
 * address that hands out VM extension settings). IPv6: unique-local (AWS's fd00:ec2::254, the
 * tailnet's fd7a:115c:a1e0::/48) and link-local.
 */
export const BLOCKED_V4 = ['0.0.0.0/8', '10.0.0.0/8', TAILNET_RANGE, '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '168.63.129.16/32'];
export const BLOCKED_V6 = ['fc00::/7', 'fe80::/10'];

const entry = (a: EgressAllow) => `'${a.cidr} ${a.port ?? '-'}'`;
const list = (xs: string[]) => (xs.length ? `(${xs.join(' ')})` : '()');

/** /usr/local/sbin/claw-setup-egress: applies (or with --check, verifies) the rules. Run as root. */
export function renderEgressScript(a: Answers): string {
  const e = a.openclaw.egress;
  const allow = egressAllowList(e);
  return `#!/bin/bash
# claw-setup-egress, written by claw-setup. Rerun claw-setup to change it.
#
# What the OpenClaw gateway container (bridge ${COMPOSE_BRIDGE}) may reach. The container is untrusted:
# an LLM reads strangers' messages in it and npm plugins run in it. So it must not reach the cloud
# metadata service (the server's credentials, cloud-init user-data), the private networks, the
# tailnet, or the host itself (sshd, anything listening on a host address).
#
#   ${EGRESS_CHAIN} (first in DOCKER-USER): traffic the host forwards for the container. Only
#     RETURN (Docker's own rules decide next) or DROP: it never lets through what Docker refuses.
#   ${HOST_CHAIN} (first in INPUT, ahead of ufw's chains): traffic from the container to any
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

bridge=${COMPOSE_BRIDGE}
mode=${e.mode}
# From openclaw.egress.allow, validated by claw-setup: "RANGE PORT" (port "-": every port; a port
# opens TCP and UDP). Read through namerefs in rules().
# shellcheck disable=SC2034
allow4=${list(allow.filter((x) => x.family === 4).map(entry))}
# shellcheck disable=SC2034
allow6=${list(allow.filter((x) => x.family === 6).map(entry))}
# shellcheck disable=SC2034
block4=${list(BLOCKED_V4)}
# shellcheck disable=SC2034
block6=${list(BLOCKED_V6)}

# The nameservers Docker's resolver forwards to: /etc/resolv.conf, or systemd-resolved's upstreams
# when that names only 127.0.0.53. Loopback ones are left out (the container cannot reach them
# anyway), and anything that is not a plain address.
resolv_files=(/etc/resolv.conf /run/systemd/resolve/resolv.conf)
nameservers() {
  local f
  for f in "\${resolv_files[@]}"; do
    [ -r "$f" ] && awk '$1 == "nameserver" { print $2 }' "$f"
  done | sort -u | while read -r ns; do
    if [ "$1" = 4 ]; then
      [[ $ns =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ && $ns != 127.* ]] && echo "$ns/32"
    else
      [[ $ns =~ ^[0-9a-fA-F:]+$ && $ns == *:*:* && $ns != ::1 ]] && echo "$ns/128"
    fi
  done
}

# The rules of family $1, one per line: "CHAIN MATCH... -j TARGET".
rules() {
  local fam=$1 ns cidr port p e
  local -n allow=allow$fam block=block$fam
  echo "${EGRESS_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN"
  # Between containers on the gateway's own network: Docker's rules decide.
  echo "${EGRESS_CHAIN} -o $bridge -j RETURN"
  echo "${HOST_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN"
  if [ "$fam" = 6 ]; then
    # Neighbour discovery with the bridge: without it no IPv6 at all on an IPv6 network.
    for p in router-solicitation neighbour-solicitation neighbour-advertisement; do
      echo "${HOST_CHAIN} -p ipv6-icmp -m icmp6 --icmpv6-type $p -j RETURN"
    done
  fi
  for ns in $(nameservers "$fam"); do
    for p in udp tcp; do
      echo "${EGRESS_CHAIN} -d $ns -p $p -m $p --dport 53 -j RETURN"
      echo "${HOST_CHAIN} -d $ns -p $p -m $p --dport 53 -j ACCEPT"
    done
  done
  # The allow-list goes before the drops. To the host itself it accepts (the operator asked for
  # exactly this), which ufw's default deny would otherwise refuse.
  for e in "\${allow[@]}"; do
    read -r cidr port <<<"$e"
    if [ "$port" = - ]; then
      echo "${EGRESS_CHAIN} -d $cidr -j RETURN"
      echo "${HOST_CHAIN} -d $cidr -j ACCEPT"
    else
      for p in tcp udp; do
        echo "${EGRESS_CHAIN} -d $cidr -p $p -m $p --dport $port -j RETURN"
        echo "${HOST_CHAIN} -d $cidr -p $p -m $p --dport $port -j ACCEPT"
      done
    fi
  done
  if [ "$mode" = allowlist ]; then
    echo "${EGRESS_CHAIN} -j DROP"
  else
    for cidr in "\${block[@]}"; do echo "${EGRESS_CHAIN} -d $cidr -j DROP"; done
  fi
  echo "${HOST_CHAIN} -j DROP"
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
    for c in ${EGRESS_CHAIN} ${HOST_CHAIN}; do
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
    { echo '*filter'; echo ":${EGRESS_CHAIN} - [0:0]"; echo ":${HOST_CHAIN} - [0:0]"; awk '{ print "-A " $0 }' <<<"$all"; echo COMMIT; } |
      "$ipt-restore" -w --noflush || { echo "$ipt-restore failed"; return 1; }
    # Docker creates DOCKER-USER and the jump to it when it starts, and keeps what is in it; this
    # runs before Docker, so make both now (without ip6tables support in Docker, only we do).
    $ipt -w -n -L DOCKER-USER >/dev/null 2>&1 || $ipt -w -N DOCKER-USER || ok=1
    $ipt -w -C FORWARD -j DOCKER-USER 2>/dev/null || $ipt -w -I FORWARD 1 -j DOCKER-USER || ok=1
  fi
  first "$ipt" DOCKER-USER "-i $bridge -j ${EGRESS_CHAIN}" || ok=1
  first "$ipt" INPUT "-i $bridge -j ${HOST_CHAIN}" || ok=1
  [ "$ok" = 0 ] && echo "$ipt: $(grep -c '^${EGRESS_CHAIN} ' <<<"$all") rules in ${EGRESS_CHAIN}, $(grep -c '^${HOST_CHAIN} ' <<<"$all") in ${HOST_CHAIN} (mode $mode)"
  return "$ok"
}

case \${1:-} in
  --check) check=1 ;;
  '') check=0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
rc=0
family 4 iptables || rc=1
family 6 ip6tables || rc=1
exit "$rc"
`;
}

/**
 * The unit that applies the rules: before Docker starts (so no container ever runs without them),
 * after ufw (ours go first in INPUT), and again whenever Docker is restarted (PartOf).
 */
export function renderEgressService(): string {
  return `# Written by claw-setup: what the OpenClaw container may reach (${EGRESS_SCRIPT}).
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
ExecStart=${EGRESS_SCRIPT}

[Install]
WantedBy=multi-user.target docker.service
`;
}

/** The path unit: runs the script again whenever a resolv.conf it reads changes (the DNS rules name the nameservers). */
export function renderEgressDnsPath(): string {
  return `# Written by claw-setup: the egress rules allow DNS to the host's nameservers by address, so
# they are applied again whenever the files naming those nameservers change (DHCP, systemd-resolved).
[Unit]
Description=claw-setup: re-apply the container egress rules when the host's nameservers change

[Path]
PathChanged=/etc/resolv.conf
PathChanged=/run/systemd/resolve/resolv.conf
Unit=${EGRESS_DNS_UNIT}.service

[Install]
WantedBy=multi-user.target
`;
}

/** What the path unit starts: the same script, without RemainAfterExit so every change runs it. */
export function renderEgressDnsService(): string {
  return `# Written by claw-setup: started by ${EGRESS_DNS_UNIT}.path when the nameservers change.
[Unit]
Description=claw-setup: re-apply the container egress rules (the nameservers changed)
After=${EGRESS_UNIT}

[Service]
Type=oneshot
ExecStart=${EGRESS_SCRIPT}
`;
}
