"""Echo server on /echo with Autobahn|Python on Twisted: the model the starter follows.

Run with Debian's python3-autobahn: /usr/bin/python3 echo.py PORT
"""
import sys

from twisted.internet import epollreactor
epollreactor.install()

from twisted.internet import reactor  # noqa: E402
from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol  # noqa: E402


class EchoServerProtocol(WebSocketServerProtocol):

    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    factory = WebSocketServerFactory(f"ws://127.0.0.1:{port}/echo")
    factory.protocol = EchoServerProtocol
    factory.setProtocolOptions(maxMessagePayloadSize=2 * 1024 * 1024, maxFramePayloadSize=2 * 1024 * 1024)
    reactor.listenTCP(port, factory, backlog=1024, interface='127.0.0.1')
    print(f"listening on 127.0.0.1:{port}", flush=True)
    reactor.run()
