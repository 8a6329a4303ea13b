/**
 * Maps OpenClaw's own `security audit --json` onto scorecard lines. It runs inside the gateway
 * container (`node -e`, fed the audit's stdout), so the server needs no JSON tool of its own.
 * One summary line `app.openclaw-audit` (pass when the audit ran: its counts are the evidence),
 * then one line per finding: critical → fail, warn → warn, info → pass.
 * Plain ES2020 with double quotes only: it travels as one shell-quoted word.
 */
export const OPENCLAW_AUDIT_MAPPER = [
  'let s = "";',
  'process.stdin.on("data", (d) => (s += d)).on("end", () => {',
  '  const out = (id, status, check, evidence, fix) => console.log(JSON.stringify({ id, status, check, evidence, fix }));',
  '  const name = "OpenClaw security audit";',
  '  let j;',
  '  try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch (e) {',
  '    out("app.openclaw-audit", "fail", name, "it printed no JSON", "run: sudo docker exec openclaw-gateway node dist/index.js security audit");',
  '    return;',
  '  }',
  '  const findings = Array.isArray(j.findings) ? j.findings : [];',
  '  const count = (k) => (j.summary && typeof j.summary[k] === "number" ? j.summary[k] : findings.filter((f) => f.severity === k).length);',
  '  out("app.openclaw-audit", "pass", name, `ran: ${count("critical")} critical, ${count("warn")} warn, ${count("info")} info`, "");',
  '  const status = { critical: "fail", warn: "warn", info: "pass" };',
  '  for (const f of findings) {',
  '    const id = String(f.checkId || "finding").replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 80);',
  '    const evidence = String(f.detail || f.evidence || f.title || "").slice(0, 300);',
  '    out(`app.openclaw.${id}`, status[f.severity] || "warn", String(f.title || id).slice(0, 120), evidence, String(f.remediation || "").slice(0, 300));',
  '  }',
  '});',
].join('\n');

/**
 * Maps OpenClaw's `doctor --lint --json --severity-min warning` the same way: one line
 * `app.openclaw-doctor` (fail when doctor reports an error, else pass with the warning count as
 * evidence: its warnings are advice such as "run doctor --fix", not faults), then one fail line per
 * error finding.
 */
export const OPENCLAW_DOCTOR_MAPPER = [
  'let s = "";',
  'process.stdin.on("data", (d) => (s += d)).on("end", () => {',
  '  const out = (id, status, check, evidence, fix) => console.log(JSON.stringify({ id, status, check, evidence, fix }));',
  '  const name = "OpenClaw doctor (lint)";',
  '  let j;',
  '  try { j = JSON.parse(s.slice(s.indexOf("{"))); } catch (e) {',
  '    out("app.openclaw-doctor", "warn", name, "it printed no JSON", "run: sudo docker exec openclaw-gateway node dist/index.js doctor --lint");',
  '    return;',
  '  }',
  '  const findings = Array.isArray(j.findings) ? j.findings : [];',
  '  const errors = findings.filter((f) => f.severity === "error");',
  '  const warnings = findings.filter((f) => f.severity === "warning").length;',
  '  const fix = "see: sudo docker exec openclaw-gateway node dist/index.js doctor --lint";',
  '  out("app.openclaw-doctor", errors.length ? "fail" : "pass", name, `${errors.length} error(s), ${warnings} warning(s) (advice)`, errors.length ? fix : "");',
  '  for (const f of errors) {',
  '    const id = String(f.checkId || "finding").replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 80);',
  '    out(`app.doctor.${id}`, "fail", String(f.message || id).slice(0, 160), String(f.path || f.requirement || "").slice(0, 200), String(f.fixHint || fix).slice(0, 300));',
  '  }',
  '});',
].join('\n');
