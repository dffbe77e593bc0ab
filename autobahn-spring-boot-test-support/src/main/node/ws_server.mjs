// Node's `ws` server for the starter's WebSocket client, for ClientInteropTests.
// Usage: node ws_server.mjs CONNECTIONS
// Listens on 127.0.0.1 on a free port and prints {"event":"listening","port":N} first. Echoes
// every message as it came, accepts permessage-deflate, and closes with 4001 "bye from node ws"
// when a text message is "close please". For each closed connection it prints one JSON line
// (event "close": code, reason, the negotiated extensions, and the size, SHA-256 and isBinary of
// every message it echoed); it exits 0 after CONNECTIONS connections closed, 2 after 60 s.
import { createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';

const expected = Number(process.argv[2] ?? 1);
let closed = 0;
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

setTimeout(() => { print({ event: 'timeout' }); process.exit(2); }, 60_000);

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
server.on('listening', () => print({ event: 'listening', port: server.address().port }));
server.on('connection', (ws) => {
  const messages = [];
  const extensions = (ws.extensions || '').split(',').map((e) => e.split(';')[0].trim()).filter((e) => e);
  ws.on('message', (data, isBinary) => {
    const payload = Buffer.isBuffer(data) ? data : Buffer.concat(data);
    if (!isBinary && payload.toString('utf8') === 'close please') {
      ws.close(4001, 'bye from node ws');
      return;
    }
    messages.push({ length: payload.length, isBinary, sha256: createHash('sha256').update(payload).digest('hex') });
    ws.send(payload, { binary: isBinary });
  });
  ws.on('close', (code, reason) => {
    print({ event: 'close', code, reason: reason.toString('utf8'), extensions, messages });
    closed += 1;
    if (closed >= expected) {
      server.close();
      process.exit(0);
    }
  });
});
