package io.autobahn.spring.websocket.handshake;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * An opening handshake as one stack's container parsed it: the small view that each stack
 * adapter implements over its own request type, so that the {@link HandshakeValidator}
 * and {@link ConnectionRequests} read every stack's requests with one code. Read on the
 * thread that handles the upgrade, before the container's upgrade; not kept afterwards.
 */
public interface UpgradeRequest {

	/**
	 * Return the HTTP method.
	 * @return the method, such as {@code GET}
	 */
	String method();

	/**
	 * Return the HTTP version as on the request line.
	 * @return the version, such as {@code HTTP/1.1}
	 */
	String protocol();

	/**
	 * Return the request-target as sent, where the container keeps it (else the path and
	 * query): only its {@code #} is looked at.
	 * @return the request-target
	 */
	String target();

	/**
	 * Return the path within the application as sent: not percent-decoded, with any
	 * {@code ;} parameters; what the path rule compares.
	 * @return the path within the application
	 */
	String pathWithinApplication();

	/**
	 * Return the whole path as sent, context or base path included, not percent-decoded:
	 * {@code ConnectionRequest.path()}.
	 * @return the raw path
	 */
	String rawPath();

	/**
	 * Return the request's URI as the server sees it (scheme, host and port the client
	 * addressed), read only by the origin check; a container may throw reading a
	 * malformed one.
	 * @return the URI
	 */
	URI uri();

	/**
	 * Return the request headers.
	 * @return the headers
	 */
	HttpHeaders headers();

	/**
	 * Return the client's address.
	 * @return the address, or {@code null} when the container does not know it
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * Return the {@code X-Forwarded-For} header as the proxy sent it, for
	 * {@code trust-x-forwarded-for}: a stack whose forwarded-header support (Spring's
	 * {@code ForwardedHeaderFilter} or {@code ForwardedHeaderTransformer}, the
	 * container's own) hides the header or replaces the remote address reads it from the
	 * container's request beneath.
	 * @return the header's lines, empty without the header; or {@code null} when the
	 * container consumed the header itself, so that it is no longer there to read and
	 * {@link #remoteAddress()} is the container's answer (Tomcat's {@code RemoteIpValve})
	 */
	default @Nullable List<String> forwardedFor() {
		return headers().getOrEmpty(ConnectionRequests.X_FORWARDED_FOR);
	}

	/**
	 * Return the query parameters, decoded as the stack decodes them.
	 * @return the parameters, each with every value in order
	 */
	MultiValueMap<String, String> queryParams();

	/**
	 * Return the request's cookies.
	 * @return the cookies in order
	 */
	List<HttpCookie> cookies();

}
