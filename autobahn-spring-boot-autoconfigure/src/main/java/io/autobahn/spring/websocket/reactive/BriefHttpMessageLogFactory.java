package io.autobahn.spring.websocket.reactive;

import io.netty.handler.codec.DecoderResult;
import reactor.netty.http.logging.AbstractHttpMessageLogFactory;
import reactor.netty.http.logging.HttpMessageArgProvider;

/**
 * How Reactor Netty describes an HTTP message in its log, such as in the WARN
 * {@code Decoding failed: ...} it logs for every request it cannot decode: the request
 * line (query left out) and the decoding failure, cut to {@value #MAX_LENGTH} characters,
 * instead of Reactor Netty's default, which lists every header name on a line of its own
 * (17 KB of log for a request with 10,000 headers). Used on the dedicated ports and,
 * through a {@code NettyServerCustomizer}, on the application's WebFlux server. Stateless
 * and thread-safe.
 */
public final class BriefHttpMessageLogFactory extends AbstractHttpMessageLogFactory {

	/** The shared instance. */
	public static final BriefHttpMessageLogFactory INSTANCE = new BriefHttpMessageLogFactory();

	private static final int MAX_LENGTH = 200;

	private static final int MAX_URI_LENGTH = 80;

	private BriefHttpMessageLogFactory() {
	}

	@Override
	public String common(HttpMessageArgProvider arg) {
		StringBuilder description = new StringBuilder();
		switch (arg.httpMessageType()) {
			case REQUEST, FULL_REQUEST ->
				description.append(arg.method()).append(' ').append(uri(arg.uri())).append(' ').append(arg.protocol());
			case RESPONSE, FULL_RESPONSE -> description.append(arg.protocol()).append(' ').append(arg.status());
			default -> description.append(arg.httpMessageType());
		}
		DecoderResult result = arg.decoderResult();
		if (result.isFailure()) {
			Throwable cause = result.cause();
			description.append(" (").append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				description.append(": ").append(cause.getMessage());
			}
			description.append(')');
		}
		return (description.length() > MAX_LENGTH) ? description.substring(0, MAX_LENGTH) + "..."
				: description.toString();
	}

	private static String uri(String uri) {
		int query = uri.indexOf('?');
		String path = (query >= 0) ? uri.substring(0, query) + "?<filtered>" : uri;
		return (path.length() > MAX_URI_LENGTH) ? path.substring(0, MAX_URI_LENGTH) + "..." : path;
	}

}
