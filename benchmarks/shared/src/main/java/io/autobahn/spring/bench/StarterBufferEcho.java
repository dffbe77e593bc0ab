package io.autobahn.spring.bench;

import java.nio.ByteBuffer;

import org.springframework.context.annotation.Profile;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The starter's echo in the buffer form (profile {@code buffer}, with {@code starter}; run.sh's
 * {@code buffer-*} servers): the payload arrives as a read-only {@link ByteBuffer} lent for
 * the call (on Reactor Netty the frame's own buffer) and goes back as it is, which the starter
 * copies once because the stack reuses the buffer after the hook returns. Measures what the
 * zero-copy receive path allocates against the {@code byte[]} form of {@link StarterEcho}.
 */
@Profile("buffer")
@WebSocketEndpoint("/echo")
public class StarterBufferEcho extends WebSocketServerProtocol {

	@Override
	public void onMessage(ByteBuffer payload, boolean isBinary) {
		sendMessage(payload, isBinary);
	}

}
