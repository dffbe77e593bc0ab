package io.autobahn.spring.websocket.handshake;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;

/**
 * An {@link UpgradeRequest} over Spring's view of the request, which both stacks share:
 * the method, URI and headers come from it, the rest from the stack's own request.
 */
public abstract class HttpUpgradeRequest implements UpgradeRequest {

	private final HttpRequest request;

	/**
	 * Create a view of a request.
	 * @param request Spring's request of the stack
	 */
	protected HttpUpgradeRequest(HttpRequest request) {
		this.request = request;
	}

	@Override
	public String method() {
		return this.request.getMethod().name();
	}

	@Override
	public URI uri() {
		return this.request.getURI();
	}

	@Override
	public HttpHeaders headers() {
		return this.request.getHeaders();
	}

}
