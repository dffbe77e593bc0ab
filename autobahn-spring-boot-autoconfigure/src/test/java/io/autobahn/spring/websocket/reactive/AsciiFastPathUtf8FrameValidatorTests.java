package io.autobahn.spring.websocket.reactive;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AsciiFastPathUtf8FrameValidator}: valid text passes, invalid text
 * fails the connection, in whole messages and across fragments.
 */
class AsciiFastPathUtf8FrameValidatorTests {

	@Test
	void asciiAndValidUtf8TextPass() {
		EmbeddedChannel channel = new EmbeddedChannel(new AsciiFastPathUtf8FrameValidator());
		channel.writeInbound(text("plain ascii, longer than eight bytes", true), text("héllo 😀", true));
		assertThat(((WebSocketFrame) channel.readInbound()).release()).isTrue();
		assertThat(((WebSocketFrame) channel.readInbound()).release()).isTrue();
	}

	@Test
	void invalidUtf8InAWholeMessageFails() {
		EmbeddedChannel channel = new EmbeddedChannel(new AsciiFastPathUtf8FrameValidator());
		TextWebSocketFrame frame = new TextWebSocketFrame(true, 0,
				Unpooled.wrappedBuffer(new byte[] { 'a', (byte) 0xC3 }));
		assertThatExceptionOfType(CorruptedFrameException.class).isThrownBy(() -> channel.writeInbound(frame));
	}

	@Test
	void invalidUtf8AfterAnAsciiFirstFragmentFails() {
		EmbeddedChannel channel = new EmbeddedChannel(new AsciiFastPathUtf8FrameValidator());
		channel.writeInbound(text("ascii start", false));
		((WebSocketFrame) channel.readInbound()).release();
		ContinuationWebSocketFrame tail = new ContinuationWebSocketFrame(true, 0,
				Unpooled.wrappedBuffer(new byte[] { (byte) 0xFF }));
		assertThatExceptionOfType(CorruptedFrameException.class).isThrownBy(() -> channel.writeInbound(tail));
	}

	private static TextWebSocketFrame text(String text, boolean last) {
		return new TextWebSocketFrame(last, 0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
	}

}
