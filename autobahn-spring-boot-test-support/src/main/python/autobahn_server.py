#!/usr/bin/python3
"""Interop server: Autobahn|Python (Twisted) for the starter's WebSocket client.

Usage: /usr/bin/python3 autobahn_server.py CONNECTIONS

Listens on 127.0.0.1 on a free port and prints {"event": "listening", "port": N} first. Echoes
every message as it came, accepts permessage-deflate, and closes with 4001 "bye from autobahn"
when a text message is "close please". For each closed connection it prints one JSON line
(event "close": wasClean, code, reason, the extensions in use, and the length, SHA-256 and
isBinary of every message it echoed); it exits 0 after CONNECTIONS connections closed, 2 after
60 s. Needs Debian's python3-autobahn (Autobahn 22.7, Twisted 22.4).
"""

import hashlib
import json
import os
import signal
import sys

from twisted.internet import reactor
from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept

TIMEOUT_SECONDS = 60
closed = [0]
expected = [1]


def emit(value):
    print(json.dumps(value, sort_keys=True, default=to_json), flush=True)


def to_json(value):
    # Autobahn keeps some close reasons as raw bytes.
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)


class EchoServerProtocol(WebSocketServerProtocol):

    def onConnect(self, request):
        self.messages = []
        self.extensions = []

    def onOpen(self):
        self.extensions = [str(ext.EXTENSION_NAME) for ext in self.websocket_extensions_in_use]

    def onMessage(self, payload, isBinary):
        if not isBinary and payload == b"close please":
            self.sendClose(4001, "bye from autobahn")
            return
        self.messages.append({"length": len(payload), "isBinary": isBinary,
                              "sha256": hashlib.sha256(payload).hexdigest()})
        self.sendMessage(payload, isBinary)

    def onClose(self, wasClean, code, reason):
        emit({"event": "close", "wasClean": wasClean, "code": code, "reason": reason,
              "extensions": getattr(self, "extensions", []), "messages": getattr(self, "messages", [])})
        closed[0] += 1
        if closed[0] >= expected[0] and reactor.running:
            reactor.stop()


def accept_deflate(offers):
    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            return PerMessageDeflateOfferAccept(offer)
    return None


def main():
    if len(sys.argv) != 2:
        print("usage: autobahn_server.py CONNECTIONS", file=sys.stderr)
        return 64
    expected[0] = int(sys.argv[1])
    # os._exit, because Twisted would catch the SystemExit of sys.exit and run on.
    signal.signal(signal.SIGALRM, lambda *_: (emit({"event": "timeout"}), os._exit(2)))
    signal.alarm(TIMEOUT_SECONDS)
    factory = WebSocketServerFactory("ws://127.0.0.1")
    factory.protocol = EchoServerProtocol
    factory.setProtocolOptions(perMessageCompressionAccept=accept_deflate, openHandshakeTimeout=5,
                               closeHandshakeTimeout=5)
    listening = reactor.listenTCP(0, factory, interface="127.0.0.1")
    emit({"event": "listening", "port": listening.getHost().port})
    reactor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
