// The floor for any Node.js gateway on this machine: node:http in, one undici Pool out, the body
// read once and forwarded, the upstream's answer piped back. No auth, no JSON parse, no logging,
// no metrics. `node bench/run.mjs --floor` measures it next to Switchyard and Portkey, so a ratio
// goal ("≥ 5× Portkey") can be checked against what is physically reachable here: if the floor
// itself does not reach it, no Node gateway does.
//   node bench/lib/floor-proxy.mjs --port N --upstream http://127.0.0.1:M
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { port: { type: 'string' }, upstream: { type: 'string' } } });
const upstream = new URL(values.upstream);
const pool = new Pool(upstream.origin, { connections: 64, pipelining: 1 });

const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    pool.request({ method: 'POST', path: req.url, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) }).then(
      ({ statusCode, headers, body }) => {
        res.writeHead(statusCode, { 'content-type': headers['content-type'] ?? 'application/json' });
        body.pipe(res);
      },
      (error) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(values.port), '127.0.0.1');
