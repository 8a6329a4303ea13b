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
