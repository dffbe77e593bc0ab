// Echo server on /echo with Node's ws: the peer a Node user would pick. No compression.
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.env.BENCH_PORT || 8080);
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ server, path: '/echo', perMessageDeflate: false, maxPayload: 2 * 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
server.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
