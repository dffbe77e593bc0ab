package io.autobahn.spring.websocket.servlet;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.RequestPath;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.autobahn.spring.websocket.handshake.CompactMultiValueMap;
import io.autobahn.spring.websocket.handshake.HttpUpgradeRequest;

/**
 * A servlet container's upgrade request as the starter's handshake code reads it. One per
 * request, on the container's thread.
 */
final class ServletUpgradeRequest extends HttpUpgradeRequest {

	/**
	 * Set by Tomcat's {@code RemoteIpValve} and {@code RemoteIpFilter} on a request whose
	 * remote address they replaced ({@code Globals.REQUEST_FORWARDED_ATTRIBUTE}).
	 */
	private static final String TOMCAT_FORWARDED_ATTRIBUTE = "org.apache.tomcat.request.forwarded";

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private final HttpServletRequest servletRequest;

	private final @Nullable InetSocketAddress remoteAddress;

	ServletUpgradeRequest(ServerHttpRequest request) {
		super(request);
		this.servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		this.remoteAddress = request.getRemoteAddress();
	}

	/** The request URI and the query, as sent. */
	@Override
	public String target() {
		String query = this.servletRequest.getQueryString();
		if (query == null) {
			return this.servletRequest.getRequestURI();
		}
		return this.servletRequest.getRequestURI() + "?" + query;
	}

	/** The version as on the request line, such as {@code HTTP/1.1}. */
	@Override
	public String protocol() {
		return this.servletRequest.getProtocol();
	}

	/** The path as sent, as Spring MVC's mapping saw it before decoding it. */
	@Override
	public String pathWithinApplication() {
		RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(this.servletRequest)
				? ServletRequestPathUtils.getParsedRequestPath(this.servletRequest)
				: ServletRequestPathUtils.parse(this.servletRequest);
		return path.pathWithinApplication().value();
	}

	/** The request URI, which servlet containers keep as sent (context path included). */
	@Override
	public String rawPath() {
		return this.servletRequest.getRequestURI();
	}

	@Override
	public MultiValueMap<String, String> queryParams() {
		CompactMultiValueMap.Builder params = CompactMultiValueMap.builder(false);
		String query = this.servletRequest.getQueryString();
		if (query != null) {
			UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((name, values) -> {
				for (String value : values) {
					params.add(decode(name), (value != null) ? decode(value) : "");
				}
			});
		}
		return params.build();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * The header as the container received it: Spring's {@code ForwardedHeaderFilter}
	 * (and any other filter) wraps the request and hides it. Tomcat's
	 * {@code RemoteIpValve} rewrites the header in the container's request, and says so
	 * in a request attribute.
	 */
	@Override
	public @Nullable List<String> forwardedFor() {
		ServletRequest request = this.servletRequest;
		while (request instanceof ServletRequestWrapper wrapper) {
			request = wrapper.getRequest();
		}
		if (Boolean.TRUE.equals(request.getAttribute(TOMCAT_FORWARDED_ATTRIBUTE))) {
			return null;
		}
		Enumeration<String> values = ((HttpServletRequest) request).getHeaders(X_FORWARDED_FOR);
		return (values != null) ? Collections.list(values) : List.of();
	}

	@Override
	public List<HttpCookie> cookies() {
		Cookie[] cookies = this.servletRequest.getCookies();
		List<HttpCookie> result = new ArrayList<>();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				result.add(new HttpCookie(cookie.getName(), cookie.getValue()));
			}
		}
		return result;
	}

	private static String decode(String value) {
		return UriUtils.decode(value.replace('+', ' '), StandardCharsets.UTF_8);
	}

}
