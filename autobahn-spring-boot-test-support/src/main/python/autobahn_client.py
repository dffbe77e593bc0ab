#!/usr/bin/python3
"""Interop client: Autobahn|Python (Twisted) against an echo endpoint of the starter.

Usage: /usr/bin/python3 autobahn_client.py ws://127.0.0.1:PORT/echo

Offers permessage-deflate, sends a non-ASCII text message, an ~80 KB binary message and
a text message fragmented into 100-byte frames, one after the other, each after the
previous echo came back, then closes with 4000 "bye from autobahn". Prints one JSON line
with what it sent and saw; exits 1 on a mismatch or an unclean close, 2 on the overall
timeout (20 s). Needs Debian's python3-autobahn (Autobahn 22.7, Twisted 22.4).

The payloads are reproducible so the JUnit side can check what the server received:
binary = SHA-256("autobahn-interop" + 4-byte big-endian counter) blocks, cut to 80000 bytes.
"""

import hashlib
import json
import os
import signal
import sys

from twisted.internet import reactor
from autobahn.twisted.websocket import WebSocketClientFactory, WebSocketClientProtocol, connectWS
from autobahn.websocket.compress import (PerMessageDeflateOffer, PerMessageDeflateResponse,
                                         PerMessageDeflateResponseAccept)

TIMEOUT_SECONDS = 20
CLOSE_CODE = 4000
CLOSE_REASON = "bye from autobahn"


def binary_payload(size=80000):
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(b"autobahn-interop" + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:size])


def fragmented_text():
    # Multi-byte characters everywhere, so 100-byte frames split UTF-8 sequences (and the
    # 4-byte emoji) between frames: the server must assemble bytes, not decode per frame.
    return "".join("%04d:ßø✓€🚀 " % i for i in range(300))


MESSAGES = [
    # (payload, isBinary, fragmentSize)
    ("héllo wörld ✓ Ωμέγα 🚀".encode("utf-8"), False, None),
    (binary_payload(), True, None),
    (fragmented_text().encode("utf-8"), False, 100),
]

result = {
    "sent": [{"isBinary": b, "length": len(p), "sha256": hashlib.sha256(p).hexdigest(),
              "fragmentSize": f} for p, b, f in MESSAGES],
    "received": [],
    "extensions": [],
    "extensionsHeader": None,
    "errors": [],
}
exit_code = [0]
finished = [False]


def finish(code):
    if finished[0]:
        return
    finished[0] = True
    if result["errors"] and code == 0:
        code = 1
    result["ok"] = code == 0
    exit_code[0] = code
    try:
        print(json.dumps(result, sort_keys=True, default=to_json), flush=True)
    finally:
        if reactor.running:
            reactor.stop()


def to_json(value):
    # Autobahn keeps some close reasons as raw bytes.
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)


class InteropClientProtocol(WebSocketClientProtocol):

    def onConnect(self, response):
        result["extensionsHeader"] = response.headers.get("sec-websocket-extensions")

    def onOpen(self):
        result["extensions"] = [str(ext.EXTENSION_NAME) for ext in self.websocket_extensions_in_use]
        self.next_index = 0
        self.send_next()

    def send_next(self):
        payload, is_binary, fragment_size = MESSAGES[self.next_index]
        self.sendMessage(payload, isBinary=is_binary, fragmentSize=fragment_size)

    def onMessage(self, payload, isBinary):
        index = self.next_index
        if index >= len(MESSAGES):
            result["errors"].append("unexpected extra message of %d bytes" % len(payload))
            return
        expected, expected_binary, _ = MESSAGES[index]
        equal = payload == expected and isBinary == expected_binary
        result["received"].append({"isBinary": isBinary, "length": len(payload),
                                   "sha256": hashlib.sha256(payload).hexdigest(), "equal": equal})
        if not equal:
            result["errors"].append("echo %d differs from what was sent" % index)
        self.next_index += 1
        if self.next_index < len(MESSAGES):
            self.send_next()
        else:
            self.sendClose(CLOSE_CODE, CLOSE_REASON)

    def onClose(self, wasClean, code, reason):
        result["close"] = {"wasClean": wasClean, "code": code, "reason": reason,
                           "localCode": self.localCloseCode, "localReason": self.localCloseReason,
                           "remoteCode": self.remoteCloseCode, "remoteReason": self.remoteCloseReason}
        if not wasClean:
            result["errors"].append("unclean close: %s" % reason)
        if len(result["received"]) != len(MESSAGES):
            result["errors"].append("%d of %d echoes received" % (len(result["received"]), len(MESSAGES)))
        finish(0)


def accept_deflate(response):
    if isinstance(response, PerMessageDeflateResponse):
        return PerMessageDeflateResponseAccept(response)
    return None


def on_timeout():
    result["errors"].append("timeout after %d s" % TIMEOUT_SECONDS)
    finish(2)


def main():
    if len(sys.argv) != 2:
        print("usage: autobahn_client.py ws://host:port/path", file=sys.stderr)
        return 64
    # Last resort should the reactor itself get stuck: the process never outlives this.
    # os._exit, because Twisted would catch the SystemExit of sys.exit and run on.
    signal.signal(signal.SIGALRM, lambda *_: (print(json.dumps({"ok": False, "errors": ["hard timeout"]}),
                                                    flush=True), os._exit(3)))
    signal.alarm(TIMEOUT_SECONDS + 5)
    factory = WebSocketClientFactory(sys.argv[1])
    factory.protocol = InteropClientProtocol
    factory.setProtocolOptions(perMessageCompressionOffers=[PerMessageDeflateOffer()],
                               perMessageCompressionAccept=accept_deflate,
                               openHandshakeTimeout=5, closeHandshakeTimeout=5)
    # A refused TCP connection never reaches the protocol: report it from the factory.
    factory.clientConnectionFailed = lambda conn, reason: (
        result["errors"].append("connection failed: %s" % reason.getErrorMessage()), finish(1))
    connectWS(factory, timeout=5)
    reactor.callLater(TIMEOUT_SECONDS, on_timeout)
    reactor.run()
    return exit_code[0]


if __name__ == "__main__":
    sys.exit(main())
