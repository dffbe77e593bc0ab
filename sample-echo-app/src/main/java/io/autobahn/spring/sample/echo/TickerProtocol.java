package io.autobahn.spring.sample.echo;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The ticker's endpoint, {@code ws://localhost:9000/ticker}: its clients only listen, to
 * what {@link Ticker} broadcasts every second. Messages from clients are ignored.
 */
@WebSocketEndpoint("/ticker")
public class TickerProtocol extends WebSocketServerProtocol {

}
