package io.autobahn.spring.sample.echo;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * Overrides every hook and logs it, as Autobahn's {@code MyServerProtocol} example does,
 * and echoes messages back.
 */
@WebSocketEndpoint("/hooks")
public class MyServerProtocol extends WebSocketServerProtocol {

	private static final Logger logger = LoggerFactory.getLogger(MyServerProtocol.class);

	@Override
	public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
		logger.info("Client connecting: {} (origin {}, protocols {})", request.peer(), request.origin(),
				request.protocols());
		return null;
	}

	@Override
	public void onOpen() {
		logger.info("WebSocket connection open.");
	}

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		if (isBinary) {
			logger.info("Binary message received: {} bytes", payload.length);
		}
		else {
			logger.info("Text message received: {}", new String(payload, StandardCharsets.UTF_8));
		}
		sendMessage(payload, isBinary);
	}

	@Override
	public void onPong(byte[] payload) {
		logger.info("Pong received: {} bytes", payload.length);
	}

	@Override
	public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		logger.info("WebSocket connection closed: wasClean={} code={} reason={}", wasClean, code, reason);
	}

}
