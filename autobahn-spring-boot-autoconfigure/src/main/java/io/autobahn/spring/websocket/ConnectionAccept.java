package io.autobahn.spring.websocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What {@link WebSocketServerProtocol#onConnect(ConnectionRequest)} returns to accept a
 * handshake with a chosen subprotocol and/or extra headers on the {@code 101} response.
 * Returning {@code null} from {@code onConnect} accepts with neither. <pre class="code">
 * return ConnectionAccept.subprotocol("chat.v2").withHeader("X-Server", "demo");
 * </pre> The subprotocol must be one the client offered
 * ({@link ConnectionRequest#protocols()}); any other value fails the handshake with HTTP
 * 500 and an error in the server log.
 * <p>
 * {@link #deferred(CompletionStage)} decides later, as Autobahn's {@code onConnect} may
 * return a Deferred or a Future: an authentication lookup need not block a thread.
 * <pre class="code">
 * return ConnectionAccept.deferred(tokens.verifyAsync(request.params().getFirst("token"))
 *     .thenApply((user) -&gt; ConnectionAccept.headers(Map.of("X-User", user.name()))));
 * </pre> Instances are immutable and thread-safe.
 */
public final class ConnectionAccept {

	private static final ConnectionAccept DEFAULT = new ConnectionAccept(null, Map.of(), null);

	private final @Nullable String subprotocol;

	private final Map<String, List<String>> headers;

	private final @Nullable CompletionStage<? extends @Nullable ConnectionAccept> deferred;

	private ConnectionAccept(@Nullable String subprotocol, Map<String, List<String>> headers,
			@Nullable CompletionStage<? extends @Nullable ConnectionAccept> deferred) {
		this.subprotocol = subprotocol;
		this.headers = headers;
		this.deferred = deferred;
	}

	/**
	 * Accept with no subprotocol (unless one of the configured {@code subprotocols}
	 * matches the client's offer) and no extra headers.
	 * @return the accept
	 */
	public static ConnectionAccept accept() {
		return DEFAULT;
	}

	/**
	 * Accept with the given subprotocol.
	 * @param subprotocol a subprotocol the client offered
	 * @return the accept
	 */
	public static ConnectionAccept subprotocol(String subprotocol) {
		return new ConnectionAccept(subprotocol, Map.of(), null);
	}

	/**
	 * Accept with extra response headers.
	 * @param headers the headers to add to the {@code 101} response
	 * @return the accept
	 */
	public static ConnectionAccept headers(Map<String, String> headers) {
		return DEFAULT.withHeaders(headers);
	}

	/**
	 * Accept with a subprotocol and extra response headers, like Autobahn's
	 * {@code (subprotocol, headers)} return value.
	 * @param subprotocol a subprotocol the client offered, or {@code null}
	 * @param headers the headers to add to the {@code 101} response
	 * @return the accept
	 */
	public static ConnectionAccept of(@Nullable String subprotocol, Map<String, String> headers) {
		return new ConnectionAccept(subprotocol, Map.of(), null).withHeaders(headers);
	}

	/**
	 * Accept or refuse once the stage completes: Autobahn's {@code onConnect} returning a
	 * Deferred or a Future. The handshake waits for it without holding an event loop (on
	 * the servlet stack the container's worker thread waits):
	 * <ul>
	 * <li>completed with {@code null} or a {@code ConnectionAccept}: accepted as if
	 * {@code onConnect} had returned that;</li>
	 * <li>completed exceptionally with a {@link ConnectionDeny} (also wrapped in a
	 * {@code CompletionException}): refused with its status and reason;</li>
	 * <li>completed exceptionally with anything else: refused with {@code 500}, and the
	 * failure logged as an ERROR, as for an exception thrown by {@code onConnect};</li>
	 * <li>not completed within the endpoint's {@code open-handshake-timeout}: refused
	 * with {@code 503 Service Unavailable} and a WARN log line; its later completion is
	 * ignored. With a timeout of {@code 0} the handshake waits as long as it takes.</li>
	 * </ul>
	 * Hooks do not run before the stage completes; {@code onOpen} follows an accept.
	 * @param stage the pending decision
	 * @return the accept to return from {@code onConnect}
	 */
	public static ConnectionAccept deferred(CompletionStage<? extends @Nullable ConnectionAccept> stage) {
		Assert.notNull(stage, "Stage must not be null");
		return new ConnectionAccept(null, Map.of(), stage);
	}

	/**
	 * Return a copy that also adds the given header (a header named twice gets two
	 * lines).
	 * @param name the header name
	 * @param value the header value
	 * @return a new accept
	 */
	public ConnectionAccept withHeader(String name, String value) {
		if (this.deferred != null) {
			throw new IllegalStateException(
					"A deferred accept has no headers of its own: add them to the accept its stage completes with");
		}
		Map<String, List<String>> copy = new LinkedHashMap<>(this.headers);
		copy.merge(name, List.of(value), (existing, added) -> {
			List<String> joined = new ArrayList<>(existing);
			joined.addAll(added);
			return List.copyOf(joined);
		});
		return new ConnectionAccept(this.subprotocol, Collections.unmodifiableMap(copy), null);
	}

	private ConnectionAccept withHeaders(Map<String, String> headers) {
		ConnectionAccept accept = this;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			accept = accept.withHeader(header.getKey(), header.getValue());
		}
		return accept;
	}

	/**
	 * Return the chosen subprotocol.
	 * @return the subprotocol, or {@code null} for none
	 */
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	/**
	 * Return the extra response headers.
	 * @return the headers, each with one or more values
	 */
	public Map<String, List<String>> getHeaders() {
		return this.headers;
	}

	/**
	 * Return the pending decision of a {@link #deferred(CompletionStage) deferred}
	 * accept.
	 * @return the stage, or {@code null} for an accept decided already
	 */
	public @Nullable CompletionStage<? extends @Nullable ConnectionAccept> getDeferred() {
		return this.deferred;
	}

}
