package io.autobahn.spring.websocket.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

/**
 * The client's opening handshake (RFC 6455 4.1): the TCP and TLS connection, the request,
 * and the checks of the server's {@code 101} that a client must make. Stateless.
 */
final class Handshake {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

	private static final int MAX_WINDOW_BITS = 15;

	private Handshake() {
	}

	/**
	 * What the client offers.
	 *
	 * @param origin the {@code Origin} header, or {@code null}
	 * @param subprotocols the subprotocols offered, in order
	 * @param headers more headers, replacing the client's own of the same name
	 * @param perMessageDeflate whether to offer permessage-deflate
	 */
	record Offer(@Nullable String origin, List<String> subprotocols, Map<String, String> headers,
			boolean perMessageDeflate) {
	}

	static TestWebSocket open(EndpointTarget target, Offer offer, Duration timeout) {
		Socket socket = connect(target, timeout);
		Map<String, @Nullable String> headers = RawWebSocket.handshakeHeaders(target.port());
		headers.put("Host", target.authority());
		if (offer.origin() != null) {
			headers.put("Origin", offer.origin());
		}
		if (!offer.subprotocols().isEmpty()) {
			headers.put("Sec-WebSocket-Protocol", String.join(", ", offer.subprotocols()));
		}
		if (offer.perMessageDeflate()) {
			headers.put("Sec-WebSocket-Extensions", PERMESSAGE_DEFLATE);
		}
		offer.headers().forEach((name, value) -> {
			headers.keySet().removeIf(name::equalsIgnoreCase);
			headers.put(name, value);
		});
		String key = String.valueOf(headers.get("Sec-WebSocket-Key"));
		RawWebSocket raw;
		try {
			socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
			raw = RawWebSocket.connect(socket, target.pathAndQuery(), headers);
			// Reads wait as long as each call says; a frame once started gets this long.
			socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The opening handshake with " + target + " failed: " + ex, ex);
		}
		try {
			return accepted(raw, target, offer, key, timeout);
		}
		catch (RuntimeException ex) {
			try {
				raw.close();
			}
			catch (IOException closing) {
				ex.addSuppressed(closing);
			}
			throw ex;
		}
	}

	private static Socket connect(EndpointTarget target, Duration timeout) {
		int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(target.host(), target.port()), millis);
			if (!target.isSecure()) {
				return socket;
			}
			SSLSocket tls = (SSLSocket) target.sslContext()
				.getSocketFactory()
				.createSocket(socket, target.host(), target.port(), true);
			if (target.verifiesHostName()) {
				SSLParameters parameters = tls.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
				tls.setSSLParameters(parameters);
			}
			tls.setSoTimeout(millis);
			tls.startHandshake();
			return tls;
		}
		catch (SSLHandshakeException ex) {
			close(socket);
			throw new UncheckedIOException(
					"The TLS handshake with " + target + " failed (" + ex.getMessage()
							+ "); for a certificate the JDK does not trust, connect with sslBundle(name) or trustAll()",
					ex);
		}
		catch (IOException ex) {
			close(socket);
			throw new UncheckedIOException("Could not connect to " + target + ": " + ex, ex);
		}
		catch (GeneralSecurityException ex) {
			close(socket);
			throw new IllegalStateException("No TLS context for " + target + ": " + ex, ex);
		}
	}

	private static TestWebSocket accepted(RawWebSocket raw, EndpointTarget target, Offer offer, String key,
			Duration timeout) {
		RawWebSocket.HandshakeResponse response = raw.handshake();
		if (response.status() != 101) {
			throw new HandshakeFailedException("The server at " + target + " refused the WebSocket handshake with "
					+ response.status() + (response.body().isEmpty() ? "" : ": " + response.body()), response);
		}
		if (!accept(key).equals(response.header("Sec-WebSocket-Accept"))) {
			throw new HandshakeFailedException(
					"The server at " + target + " answered with a wrong Sec-WebSocket-Accept: "
							+ response.header("Sec-WebSocket-Accept") + " (RFC 6455 4.2.2)",
					response);
		}
		String subprotocol = response.header("Sec-WebSocket-Protocol");
		if (subprotocol != null && !offer.subprotocols().contains(subprotocol)) {
			throw new HandshakeFailedException(
					"The server at " + target + " chose the subprotocol '" + subprotocol
							+ "', which the client did not offer " + offer.subprotocols() + " (RFC 6455 4.1)",
					response);
		}
		List<String> extensions = new ArrayList<>();
		PerMessageDeflate compressor = null;
		PerMessageDeflate decompressor = null;
		String header = response.header("Sec-WebSocket-Extensions");
		if (header != null && !header.isBlank()) {
			for (String extension : header.split(",")) {
				Map<String, String> parameters = parameters(extension);
				String name = parameters.remove("");
				if (!PERMESSAGE_DEFLATE.equals(name) || !offer.perMessageDeflate() || compressor != null) {
					throw new HandshakeFailedException("The server at " + target + " answered with the extension '"
							+ extension.trim() + "', which the client did not offer (RFC 6455 9.1)", response);
				}
				if (parameters.containsKey("client_max_window_bits")) {
					// Not offered, so the server must not send it (RFC 7692 7.1.2.2).
					throw new HandshakeFailedException("The server at " + target
							+ " answered permessage-deflate with client_max_window_bits, which the client did not offer",
							response);
				}
				extensions.add(name);
				compressor = PerMessageDeflate.compressor(MAX_WINDOW_BITS,
						parameters.containsKey("client_no_context_takeover"));
				// The JDK's inflater reads every window size up to 15 bits.
				decompressor = PerMessageDeflate.decompressor(MAX_WINDOW_BITS,
						parameters.containsKey("server_no_context_takeover"));
			}
		}
		return new TestWebSocket(raw, target.toString(), timeout, subprotocol, extensions, compressor, decompressor);
	}

	/**
	 * An extension's name (under the key {@code ""}) and parameters, by lower-case name.
	 */
	private static Map<String, String> parameters(String extension) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String[] parts = extension.split(";");
		parameters.put("", parts[0].trim().toLowerCase(Locale.ROOT));
		for (int i = 1; i < parts.length; i++) {
			String part = parts[i].trim();
			int equals = part.indexOf('=');
			String name = (equals != -1) ? part.substring(0, equals).trim() : part;
			String value = (equals != -1) ? part.substring(equals + 1).trim() : "";
			parameters.put(name.toLowerCase(Locale.ROOT), value);
		}
		return parameters;
	}

	static String accept(String key) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			return Base64.getEncoder()
				.encodeToString(sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("No SHA-1", ex);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Failing anyway.
		}
	}

}
