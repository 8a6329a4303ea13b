/** Every pure template renderer: answers in, file text out. */
export * from './apt-source.js';
export * from './backup.js';
export * from './caddyfile.js';
export * from './compose.js';
export * from '../src/plan/deadman-script.js';
export * from './docker-daemon.js';
export * from './env-file.js';
export * from './fail2ban-jail.js';
export * from './gateway-shared.js';
export * from './health.js';
export * from './openclaw-json.js';
export * from './sshd-drop-in.js';
export * from './unattended-upgrades.js';
