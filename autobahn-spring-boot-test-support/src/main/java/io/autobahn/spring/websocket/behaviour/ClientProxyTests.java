package io.autobahn.spring.websocket.behaviour;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's {@code proxy} option: the connection goes through an HTTP proxy with
 * {@code CONNECT} (a minimal tunnelling proxy on 127.0.0.1, written here), and echoes
 * through it. Client-side: each stack module runs it through a subclass that names the
 * client transport.
 */
@SpringBootTest(classes = ClientProxyTests.ProxyApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "server.address=127.0.0.1")
abstract class ClientProxyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	WebSocketConnector connector;

	@LocalServerPort
	int port;

	@Test
	void connectsThroughAnHttpProxyWithConnect() throws Exception {
		try (TunnellingProxy proxy = new TunnellingProxy()) {
			WebSocketClientOptions options = this.connector.getDefaultOptions()
				.toBuilder()
				.proxy(InetSocketAddress.createUnresolved("127.0.0.1", proxy.port()))
				.build();
			ProxiedClient client = this.connector
				.connect(URI.create("ws://127.0.0.1:" + this.port + "/echo"), options, ProxiedClient.class)
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			client.sendMessage("through the proxy");
			assertThat(client.messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("through the proxy");
			assertThat(proxy.requests).hasSize(1);
			assertThat(proxy.requests.get(0)).startsWith("CONNECT 127.0.0.1:" + this.port + " ");
			client.sendClose();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ EchoEndpoint.class, ProxiedClient.class })
	static class ProxyApplication {

	}

	@WebSocketEndpoint("/echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

	}

	/** Queues the text messages it receives. */
	@WebSocketClient
	static class ProxiedClient extends WebSocketClientProtocol {

		final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.messages.add(new String(payload, StandardCharsets.UTF_8));
		}

	}

	/**
	 * An HTTP proxy that knows only {@code CONNECT}: it records each request line,
	 * connects to the target, answers {@code 200} and copies bytes both ways until either
	 * side ends.
	 */
	static final class TunnellingProxy implements AutoCloseable {

		final List<String> requests = new CopyOnWriteArrayList<>();

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		private final ServerSocket server;

		TunnellingProxy() throws IOException {
			this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(this::accept, "tunnelling-proxy");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void accept() {
			try {
				while (!this.server.isClosed()) {
					Socket client = this.server.accept();
					this.sockets.add(client);
					Thread tunnel = new Thread(() -> tunnel(client), "tunnelling-proxy-connection");
					tunnel.setDaemon(true);
					tunnel.start();
				}
			}
			catch (IOException ex) {
				// Closed.
			}
		}

		private void tunnel(Socket client) {
			try {
				client.setSoTimeout((int) TIMEOUT.toMillis());
				InputStream in = client.getInputStream();
				ByteArrayOutputStream head = new ByteArrayOutputStream();
				while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
					int b = in.read();
					if (b < 0 || head.size() > 16 * 1024) {
						client.close();
						return;
					}
					head.write(b);
				}
				String requestLine = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
				this.requests.add(requestLine);
				String[] parts = requestLine.split(" ");
				if (!parts[0].equals("CONNECT")) {
					client.getOutputStream()
						.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
							.getBytes(StandardCharsets.ISO_8859_1));
					client.close();
					return;
				}
				int colon = parts[1].lastIndexOf(':');
				Socket target = new Socket(parts[1].substring(0, colon),
						Integer.parseInt(parts[1].substring(colon + 1)));
				this.sockets.add(target);
				client.getOutputStream()
					.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
				client.setSoTimeout(0);
				Thread back = new Thread(() -> copy(target, client), "tunnelling-proxy-back");
				back.setDaemon(true);
				back.start();
				copy(client, target);
			}
			catch (IOException ex) {
				// One side went away.
			}
		}

		private static void copy(Socket from, Socket to) {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				byte[] buffer = new byte[8192];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// One side went away.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			this.sockets.forEach(TunnellingProxy::closeQuietly);
		}

	}

}
