package io.autobahn.spring.websocket.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketConnectException.Reason;

/**
 * Turns what a transport's library throws for a failed connect into a
 * {@link WebSocketConnectException} with a reason and a message a user can act on. Both
 * transports' libraries throw the JDK's exceptions for the network (an unknown host, a
 * refused connection, a TLS failure), possibly wrapped; what only a library knows (a
 * refused handshake, with its response) its transport makes itself with {@link #refused}.
 */
public final class ConnectFailures {

	private static final int MAX_BODY = 1024;

	private ConnectFailures() {
	}

	/**
	 * Classify a failure by its causes.
	 * @param uri the URI connected to
	 * @param failure what the library threw
	 * @return the exception to fail the connect with
	 */
	public static WebSocketConnectException of(URI uri, Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof WebSocketConnectException connectException) {
			return connectException;
		}
		String host = uri.getHost() + ":" + ClientHandshake.port(uri);
		if (find(cause, UnknownHostException.class) != null || find(cause, UnresolvedAddressException.class) != null) {
			return new WebSocketConnectException(uri, Reason.UNKNOWN_HOST,
					"unknown host '" + uri.getHost() + "' (the name does not resolve)", cause);
		}
		SSLException tls = find(cause, SSLException.class);
		if (tls != null) {
			return new WebSocketConnectException(uri, Reason.TLS, "the TLS handshake with " + host + " failed ("
					+ tls.getMessage() + "); is the server's certificate trusted (an SSL bundle) and for this host?",
					cause);
		}
		ConnectException refused = find(cause, ConnectException.class);
		NoRouteToHostException noRoute = find(cause, NoRouteToHostException.class);
		if (refused != null || noRoute != null) {
			String why = (noRoute != null) ? "no route to host"
					: (refused.getMessage() != null) ? refused.getMessage() : "connection refused";
			return new WebSocketConnectException(uri, Reason.CONNECTION_FAILED,
					"no connection to " + host + " (" + why + ")", cause);
		}
		return new WebSocketConnectException(uri, Reason.CONNECTION_FAILED,
				"the connection to " + host + " failed before the opening handshake completed (" + cause + ")", cause);
	}

	/**
	 * Make the exception of a refused handshake.
	 * @param uri the URI connected to
	 * @param status the server's status
	 * @param headers its headers
	 * @param body its body, or {@code null}
	 * @param cause what the library threw, or {@code null}
	 * @return the exception
	 */
	public static WebSocketConnectException refused(URI uri, int status, HttpHeaders headers, @Nullable String body,
			@Nullable Throwable cause) {
		String shortBody = (body != null && body.length() > MAX_BODY) ? body.substring(0, MAX_BODY) + "..." : body;
		String message = "the server refused the opening handshake with " + status
				+ ((shortBody != null && !shortBody.isBlank()) ? ": " + shortBody.strip() : "");
		return new WebSocketConnectException(uri, Reason.HANDSHAKE_REFUSED, message, cause, status, headers, shortBody);
	}

	/**
	 * Make the exception of a {@code 101} the client cannot accept.
	 * @param uri the URI connected to
	 * @param problem what is wrong with it
	 * @param cause what the library threw, or {@code null}
	 * @return the exception
	 */
	public static WebSocketConnectException invalidResponse(URI uri, String problem, @Nullable Throwable cause) {
		return new WebSocketConnectException(uri, Reason.INVALID_RESPONSE,
				"the server's answer to the opening handshake is not valid: " + problem, cause);
	}

	/**
	 * Make the exception of a handshake the transport's library refuses to send, such as
	 * with a header it reserves for itself.
	 * @param uri the URI connected to
	 * @param cause what the library threw
	 * @return the exception
	 */
	public static WebSocketConnectException invalidRequest(URI uri, Throwable cause) {
		return new WebSocketConnectException(uri, Reason.ABORTED,
				"the opening handshake could not be sent (" + cause.getMessage() + ")", cause);
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Return the first cause of the given type.
	 * @param <T> the type
	 * @param failure the failure
	 * @param type the type
	 * @return the cause, or {@code null}
	 */
	public static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
