// Node's `ws` client against an echo endpoint of the starter, for NodeWsInteropTests.
// Usage: node ws_client.mjs ws://127.0.0.1:<port>/<path>
// Offers permessage-deflate, sends a non-ASCII text message, a 64 KiB binary message and a
// 1 MiB (1,048,576 bytes: exactly the default max-message-payload-size) binary message one
// after the other, each after the previous echo, then closes with 4000 and a reason. Prints
// one JSON line; exits 0 when every step ran (the test judges the results), 1 on an error or
// after 20 s.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';

const url = process.argv[2];
const TEXT = 'héllo wörld ✓ Ωμέγα 🚀 from node ws';
const CLOSE_CODE = 4000;
const CLOSE_REASON = 'bye from node ws';

// Deterministic bytes: xorshift32, so that a run can be repeated.
function bytes(size, seed) {
  const out = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    // Every other 4 KiB block is text-like, so that compression has something to do.
    out[i] = ((i >> 12) & 1) ? 0x61 + (x % 26) : x & 0xff;
  }
  return out;
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

const messages = [
  { data: Buffer.from(TEXT, 'utf8'), isBinary: false },
  { data: bytes(64 * 1024, 0x9e3779b9), isBinary: true },
  { data: bytes(1024 * 1024, 0x85ebca6b), isBinary: true },
];

const result = {
  ok: false, extensions: null, sent: [], received: [], close: null, error: null,
};

function finish(code) {
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(code);
}

const timer = setTimeout(() => { result.error = 'timed out after 20 s'; finish(1); }, 20_000);

const ws = new WebSocket(url, { perMessageDeflate: true, handshakeTimeout: 5_000 });
let index = 0;

function sendNext() {
  const message = messages[index];
  result.sent.push({ size: message.data.length, isBinary: message.isBinary, sha256: sha256(message.data) });
  ws.send(message.isBinary ? message.data : message.data.toString('utf8'), { binary: message.isBinary });
}

ws.on('open', () => {
  result.extensions = ws.extensions.split(',').map((e) => e.split(';')[0].trim()).filter((e) => e);
  sendNext();
});

ws.on('message', (data, isBinary) => {
  const received = Buffer.isBuffer(data) ? data : Buffer.concat(data);
  result.received.push({
    size: received.length, isBinary, equal: received.equals(messages[index].data),
  });
  index += 1;
  if (index < messages.length) {
    sendNext();
  } else {
    ws.close(CLOSE_CODE, CLOSE_REASON);
  }
});

ws.on('close', (code, reason) => {
  clearTimeout(timer);
  result.close = { code, reason: reason.toString('utf8') };
  result.ok = index === messages.length;
  finish(0);
});

ws.on('error', (error) => {
  result.error = String(error);
});
