package io.autobahn.spring.websocket.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.autoconfigure.AutobahnServletWebSocketAutoConfiguration;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;

/**
 * Where a {@link WebSocketTestClient} connects: the scheme, host, port and request-target
 * of an endpoint, and whom to trust for {@code wss}. Resolved from the running
 * application when a connection opens: the application's port and path prefix as the
 * starter's startup log names them, or the endpoint's dedicated port. Immutable.
 */
final class EndpointTarget {

	/** Whom a {@code wss} connection trusts. */
	enum Trust {

		/** The JDK's default trust store, with host name verification. */
		DEFAULT,

		/** The certificates of an SSL bundle, with host name verification. */
		BUNDLE,

		/** Everyone, without host name verification. */
		ALL

	}

	private static final String LOOPBACK = "127.0.0.1";

	private final boolean secure;

	private final String host;

	private final int port;

	private final String pathAndQuery;

	private final Trust trust;

	private final @Nullable String sslBundle;

	private final @Nullable ApplicationContext context;

	private EndpointTarget(boolean secure, String host, int port, String pathAndQuery, Trust trust,
			@Nullable String sslBundle, @Nullable ApplicationContext context) {
		this.secure = secure;
		this.host = host;
		this.port = port;
		this.pathAndQuery = pathAndQuery;
		this.trust = trust;
		this.sslBundle = sslBundle;
		this.context = context;
	}

	static EndpointTarget of(URI uri) {
		boolean secure = "wss".equals(uri.getScheme());
		int port = (uri.getPort() != -1) ? uri.getPort() : secure ? 443 : 80;
		String path = StringUtils.hasLength(uri.getRawPath()) ? uri.getRawPath() : "/";
		String query = uri.getRawQuery();
		return new EndpointTarget(secure, Objects.requireNonNull(uri.getHost(), () -> "No host in " + uri), port,
				(query != null) ? path + "?" + query : path, Trust.DEFAULT, null, null);
	}

	/**
	 * Find an endpoint of the application by name or path.
	 */
	static EndpointTarget resolve(ApplicationContext context, String endpoint) {
		List<EndpointDefinition> definitions = definitions(context);
		EndpointDefinition definition;
		String query = "";
		if (endpoint.startsWith("/")) {
			int mark = endpoint.indexOf('?');
			String path = (mark != -1) ? endpoint.substring(0, mark) : endpoint;
			query = (mark != -1) ? endpoint.substring(mark) : "";
			definition = definitions.stream()
				.filter((candidate) -> candidate.path().equals(path))
				.findFirst()
				.orElse(null);
			if (definition == null) {
				// Not an endpoint's path: the test may mean to see it refused.
				return mainPort(context, path + query);
			}
		}
		else {
			definition = definitions.stream()
				.filter((candidate) -> candidate.name().equals(endpoint))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(
						"The application has no WebSocket endpoint named '" + endpoint + "'; its endpoints: "
								+ definitions.stream()
									.map((candidate) -> candidate.name() + " (" + candidate.path() + ")")
									.toList()
								+ ". Give a name or a path that starts with '/'"));
		}
		if (!definition.hasDedicatedPort()) {
			return mainPort(context, definition.path() + query);
		}
		String key = "local.autobahn.websocket." + definition.name() + ".port";
		Integer port = context.getEnvironment().getProperty(key, Integer.class);
		if (port == null) {
			throw new IllegalStateException("WebSocket endpoint '" + definition.name()
					+ "' has a dedicated port, but its server is not listening (no " + key + " yet)");
		}
		String bundle = definition.sslBundle();
		return new EndpointTarget(bundle != null, host(context.getEnvironment()), port, definition.path() + query,
				(bundle != null) ? Trust.BUNDLE : Trust.DEFAULT, bundle, context);
	}

	private static List<EndpointDefinition> definitions(ApplicationContext context) {
		ServerEndpoints endpoints = context.getBeanProvider(ServerEndpoints.class).getIfAvailable();
		return (endpoints != null) ? endpoints.endpoints().stream().map(ServerEndpoint::getDefinition).toList()
				: Collections.emptyList();
	}

	/**
	 * The application's own port, with the path prefix its endpoints are served under:
	 * the servlet context path and the DispatcherServlet's path, or the WebFlux base
	 * path.
	 */
	private static EndpointTarget mainPort(ApplicationContext context, String pathAndQuery) {
		Environment environment = context.getEnvironment();
		Integer port = environment.getProperty("local.server.port", Integer.class);
		if (port == null) {
			throw new IllegalStateException("The application's server is not listening (no local.server.port): "
					+ "start it with @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT) or DEFINED_PORT");
		}
		boolean servlet = context.containsBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME);
		String prefix = servlet
				? trimmed(environment.getProperty("server.servlet.context-path"))
						+ trimmed(environment.getProperty("spring.mvc.servlet.path"))
				: trimmed(environment.getProperty("spring.webflux.base-path"));
		boolean secure = isSslEnabled(environment);
		String bundle = secure ? environment.getProperty("server.ssl.bundle") : null;
		return new EndpointTarget(secure, host(environment), port, prefix + pathAndQuery,
				StringUtils.hasText(bundle) ? Trust.BUNDLE : Trust.DEFAULT, StringUtils.hasText(bundle) ? bundle : null,
				context);
	}

	/** As Spring Boot's {@code Ssl.isEnabled}: configured, and not switched off. */
	private static boolean isSslEnabled(Environment environment) {
		boolean configured = environment.containsProperty("server.ssl.bundle")
				|| environment.containsProperty("server.ssl.key-store")
				|| environment.containsProperty("server.ssl.certificate");
		return configured && environment.getProperty("server.ssl.enabled", Boolean.class, true);
	}

	/** The bound address if the servers bind one, the loopback address otherwise. */
	private static String host(Environment environment) {
		InetAddress address = Binder.get(environment).bind("server.address", InetAddress.class).orElse(null);
		if (address == null || address.isAnyLocalAddress()) {
			return LOOPBACK;
		}
		return address.getHostAddress();
	}

	private static String trimmed(@Nullable String path) {
		if (!StringUtils.hasText(path) || "/".equals(path)) {
			return "";
		}
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/**
	 * This target with query parameters added and, where a trust is given, that trust.
	 */
	EndpointTarget with(List<String> params, Trust trust, @Nullable String sslBundle) {
		String pathAndQuery = this.pathAndQuery;
		if (!params.isEmpty()) {
			pathAndQuery += (pathAndQuery.contains("?") ? "&" : "?") + String.join("&", params);
		}
		boolean override = trust != Trust.DEFAULT;
		return new EndpointTarget(this.secure, this.host, this.port, pathAndQuery, override ? trust : this.trust,
				override ? sslBundle : this.sslBundle, this.context);
	}

	boolean isSecure() {
		return this.secure;
	}

	String host() {
		return this.host;
	}

	int port() {
		return this.port;
	}

	String pathAndQuery() {
		return this.pathAndQuery;
	}

	/** The {@code Host} header's value. */
	String authority() {
		return (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

	URI uri() {
		return URI.create((this.secure ? "wss" : "ws") + "://" + authority() + this.pathAndQuery);
	}

	boolean verifiesHostName() {
		return this.trust != Trust.ALL;
	}

	/**
	 * The TLS context of a {@code wss} connection.
	 */
	SSLContext sslContext() throws GeneralSecurityException {
		switch (this.trust) {
			case ALL -> {
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(null, new TrustManager[] { new TrustingEveryone() }, null);
				return context;
			}
			case BUNDLE -> {
				SslBundle bundle = bundle(Objects.requireNonNull(this.sslBundle));
				SSLContext context = SSLContext.getInstance(bundle.getProtocol());
				context.init(null, trustManagers(bundle), null);
				return context;
			}
			default -> {
				return SSLContext.getDefault();
			}
		}
	}

	private SslBundle bundle(String name) {
		if (this.context == null) {
			throw new IllegalStateException("SSL bundle '" + name + "' asked for, but this client has no application");
		}
		SslBundles bundles = this.context.getBeanProvider(SslBundles.class).getIfAvailable();
		if (bundles == null) {
			throw new IllegalStateException(
					"SSL bundle '" + name + "' asked for, but the application has no SslBundles");
		}
		return bundles.getBundle(name);
	}

	/**
	 * Trust managers that trust the certificates of the bundle's trust store and those of
	 * its key store: a server's bundle usually has a key store only, whose certificate is
	 * the one to trust.
	 */
	private static TrustManager[] trustManagers(SslBundle bundle) throws GeneralSecurityException {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		try {
			trusted.load(null, null);
		}
		catch (IOException ex) {
			throw new GeneralSecurityException(ex);
		}
		int index = 0;
		for (KeyStore store : new KeyStore[] { bundle.getStores().getTrustStore(), bundle.getStores().getKeyStore() }) {
			if (store == null) {
				continue;
			}
			for (String alias : Collections.list(store.aliases())) {
				Certificate[] chain = store.getCertificateChain(alias);
				Certificate[] certificates = (chain != null) ? chain : (store.getCertificate(alias) != null)
						? new Certificate[] { store.getCertificate(alias) } : new Certificate[0];
				for (Certificate certificate : certificates) {
					trusted.setCertificateEntry("trusted-" + index++, certificate);
				}
			}
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trusted);
		return factory.getTrustManagers();
	}

	@Override
	public String toString() {
		return uri().toString();
	}

	/** Trusts every certificate, for {@code trustAll()}. */
	private static final class TrustingEveryone extends X509ExtendedTrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
