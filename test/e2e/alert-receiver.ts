// An ntfy-compatible HTTPS test receiver with its own CA (the same as full.e2e.test.ts uses; that file
// keeps its own copy for now and could import this one).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Alert {
  path: string;
  title: string;
  body: string;
}

/**
 * An ntfy-compatible HTTPS receiver on this machine's veth address, with its own CA. It runs in a
 * child process: the test's synchronous calls into the host (spawnSync) would block a server in
 * this one. Each request is appended to a JSON-lines file.
 */
export async function startReceiver(dir: string, ip: string): Promise<{ proc: ChildProcess; alerts: () => Alert[]; ca: string; port: number }> {
  const ca = join(dir, 'ca');
  const sh = (cmd: string) => {
    const r = spawnSync('sh', ['-c', cmd], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  };
  sh(`openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=claw e2e CA' -keyout ${ca}.key -out ${ca}.crt 2>/dev/null`);
  sh(`openssl req -newkey rsa:2048 -nodes -subj '/CN=${ip}' -keyout srv.key -out srv.csr 2>/dev/null`);
  writeFileSync(join(dir, 'ext'), `subjectAltName=IP:${ip}\n`);
  sh(`openssl x509 -req -in srv.csr -CA ${ca}.crt -CAkey ${ca}.key -CAcreateserial -days 2 -extfile ext -out srv.crt 2>/dev/null`);
  const log = join(dir, 'alerts.jsonl');
  writeFileSync(log, '');
  const code = `
    const fs = require('node:fs');
    const srv = require('node:https').createServer({ key: fs.readFileSync(${JSON.stringify(join(dir, 'srv.key'))}), cert: fs.readFileSync(${JSON.stringify(join(dir, 'srv.crt'))}) }, (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ path: req.url, title: String(req.headers.title || ''), body }) + '\\n');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"e2e"}');
      });
    });
    srv.listen(0, ${JSON.stringify(ip)}, () => console.log(srv.address().port));`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    proc.once('exit', (c) => reject(new Error(`receiver exited ${c}`)));
  });
  const alerts = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Alert);
  return { proc, alerts, ca: readFileSync(`${ca}.crt`, 'utf8'), port };
}
