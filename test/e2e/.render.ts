import { readFileSync, writeFileSync } from 'node:fs';
import JSON5 from "json5";
import { answersSchema } from '/work/main/src/answers/schema.js';
import { renderAuditScript } from '/work/main/templates/audit-script.js';
const rig = JSON.parse(readFileSync('/tmp/auditdev/rig.json', 'utf8'));
const a = answersSchema.parse(JSON5.parse(readFileSync(rig.answersFile, 'utf8')));
writeFileSync('/tmp/auditdev/audit.sh', renderAuditScript(a));
