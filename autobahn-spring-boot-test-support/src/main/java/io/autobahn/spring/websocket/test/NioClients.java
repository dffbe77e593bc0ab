package io.autobahn.spring.websocket.test;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Many WebSocket clients on one thread: non-blocking sockets and one selector, cheap
 * enough to hold a thousand connections in a test. Each client reads every frame the
 * server sends as it comes and hands its messages (unfragmented frames only) to a
 * {@link Receiver}; it sends text and close frames, masked. Not thread-safe:
 * {@link #connect}, {@link #sendText} and {@link #close} are called before {@link #start}
 * or from the receiver; the reading thread is its own.
 */
public final class NioClients implements Closeable {

	private final Selector selector;

	private final List<Client> clients = new ArrayList<>();

	private final Receiver receiver;

	private final Thread reader;

	private volatile boolean stopped;

	private volatile @Nullable Throwable failure;

	/**
	 * Create the clients' selector and reading thread (not started).
	 * @param receiver told every message and close frame
	 * @throws IOException if no selector could be opened
	 */
	public NioClients(Receiver receiver) throws IOException {
		this.selector = Selector.open();
		this.receiver = receiver;
		this.reader = new Thread(this::read, "nio-clients");
		this.reader.setDaemon(true);
	}

	/**
	 * Connect one client and complete its opening handshake (blocking), before
	 * {@link #start()}.
	 * @param port the server port on 127.0.0.1
	 * @param path the request path (with query)
	 * @return the client's index
	 * @throws IOException if the handshake did not succeed with {@code 101}
	 */
	public int connect(int port, String path) throws IOException {
		SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
		try {
			channel.socket().setSoTimeout(10_000);
			byte[] key = new byte[16];
			ThreadLocalRandom.current().nextBytes(key);
			String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
					+ Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
			writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
			ByteBuffer in = ByteBuffer.allocate(64 * 1024);
			int headEnd;
			while ((headEnd = headEnd(in)) < 0) {
				if (channel.read(in) < 0) {
					throw new IOException("Connection closed during the handshake");
				}
			}
			String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
			if (!head.startsWith("HTTP/1.1 101")) {
				throw new IOException("Handshake refused: " + head.lines().findFirst().orElse(""));
			}
			// Keep what followed the head: the first frames.
			in.flip().position(headEnd + 4);
			in.compact();
			channel.configureBlocking(false);
			Client client = new Client(this.clients.size(), channel, in);
			channel.register(this.selector, SelectionKey.OP_READ, client);
			this.clients.add(client);
			return client.index;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Start reading.
	 */
	public void start() {
		this.reader.start();
	}

	/**
	 * Return how many clients are connected.
	 * @return the clients
	 */
	public int size() {
		return this.clients.size();
	}

	/**
	 * Send a text message from one client (blocking until written).
	 * @param index the client
	 * @param text the message
	 * @throws IOException if it could not be written
	 */
	public void sendText(int index, String text) throws IOException {
		send(index, 0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Send a close frame from one client (blocking until written).
	 * @param index the client
	 * @param code the close code
	 * @throws IOException if it could not be written
	 */
	public void sendClose(int index, int code) throws IOException {
		send(index, 0x8, new byte[] { (byte) (code >> 8), (byte) code });
	}

	/**
	 * Return why reading failed, if it did.
	 * @return the failure, or {@code null}
	 */
	public @Nullable Throwable getFailure() {
		return this.failure;
	}

	@Override
	public void close() throws IOException {
		this.stopped = true;
		this.selector.wakeup();
		try {
			this.reader.join(Duration.ofSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (Client client : this.clients) {
			client.channel.close();
		}
		this.selector.close();
	}

	private void send(int index, int opcode, byte[] payload) throws IOException {
		if (payload.length > 125) {
			throw new IllegalArgumentException("Only short frames");
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
		frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length)).put(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.put((byte) (payload[i] ^ mask[i & 3]));
		}
		Client client = this.clients.get(index);
		synchronized (client) {
			writeFully(client.channel, frame.flip());
		}
	}

	private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (buffer.hasRemaining()) {
			if (channel.write(buffer) == 0) {
				if (System.nanoTime() > deadline) {
					throw new IOException("Write timed out");
				}
				Thread.onSpinWait();
			}
		}
	}

	private static int headEnd(ByteBuffer in) {
		byte[] bytes = in.array();
		for (int i = 3; i < in.position(); i++) {
			if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
				return i - 3;
			}
		}
		return -1;
	}

	private void read() {
		try {
			for (Client client : this.clients) {
				client.parse(this.receiver);
			}
			while (!this.stopped) {
				this.selector.select(100);
				for (SelectionKey key : this.selector.selectedKeys()) {
					Client client = (Client) key.attachment();
					int read;
					try {
						read = client.channel.read(client.in);
					}
					catch (IOException ex) {
						read = -1;
					}
					if (read < 0) {
						key.cancel();
						this.receiver.ended(client.index);
						continue;
					}
					client.parse(this.receiver);
				}
				this.selector.selectedKeys().clear();
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			this.failure = ex;
		}
	}

	/**
	 * Told what the clients receive, on the reading thread.
	 */
	public interface Receiver {

		/**
		 * A client received a message (a whole frame).
		 * @param client the client's index
		 * @param opcode the frame's opcode ({@code 1} text, {@code 2} binary)
		 * @param payload the payload, valid only during the call
		 */
		void message(int client, int opcode, ByteBuffer payload);

		/**
		 * A client received the server's close frame.
		 * @param client the client's index
		 * @param code the close code, or {@code 1005} for none
		 */
		void closed(int client, int code);

		/**
		 * A client's connection ended.
		 * @param client the client's index
		 */
		default void ended(int client) {
		}

	}

	private static final class Client {

		final int index;

		final SocketChannel channel;

		ByteBuffer in;

		Client(int index, SocketChannel channel, ByteBuffer in) {
			this.index = index;
			this.channel = channel;
			this.in = in;
		}

		/** Hand over the whole frames in the buffer, keep the rest. */
		void parse(Receiver receiver) throws IOException {
			ByteBuffer buffer = this.in.flip();
			while (buffer.remaining() >= 2) {
				int start = buffer.position();
				int b0 = buffer.get(start) & 0xFF;
				int b1 = buffer.get(start + 1) & 0xFF;
				if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0) {
					throw new IOException("Client " + this.index + ": fragmented or masked frame from the server");
				}
				long length = b1 & 0x7F;
				int header = 2;
				if (length == 126) {
					if (buffer.remaining() < 4) {
						break;
					}
					length = buffer.getShort(start + 2) & 0xFFFF;
					header = 4;
				}
				else if (length == 127) {
					if (buffer.remaining() < 10) {
						break;
					}
					length = buffer.getLong(start + 2);
					header = 10;
				}
				if (buffer.remaining() < header + length) {
					if (header + length > buffer.capacity()) {
						ByteBuffer larger = ByteBuffer.allocate(Math.toIntExact(header + length));
						larger.put(buffer);
						this.in = larger;
						return;
					}
					break;
				}
				ByteBuffer payload = buffer.duplicate()
					.position(start + header)
					.limit(start + header + (int) length)
					.slice();
				int opcode = b0 & 0xF;
				if (opcode == 0x8) {
					receiver.closed(this.index, (length >= 2) ? payload.getShort(0) & 0xFFFF : 1005);
				}
				else if (opcode == 0x1 || opcode == 0x2) {
					receiver.message(this.index, opcode, payload);
				}
				buffer.position(start + header + (int) length);
			}
			buffer.compact();
		}

	}

}
