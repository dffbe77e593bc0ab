package io.autobahn.spring.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.management.ThreadMXBean;
import com.sun.net.httpserver.HttpServer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server's heap allocation for the load generator: with {@code bench.alloc-port} set
 * (run.sh does for every Spring server), a JDK {@link HttpServer} on 127.0.0.1 at that
 * port answers every request with the bytes the JVM's threads have allocated in the heap
 * so far ({@link ThreadMXBean#getTotalThreadAllocatedBytes()}, exited threads included),
 * as decimal text. The load generator reads it before and after each measured window and
 * reports the difference per echoed message. A port of its own, outside the container, so
 * that the same code serves every stack and the read does not go through the server under
 * test. Started with the context, stopped with it; one request at a time, on the HTTP
 * server's own thread.
 */
@ConditionalOnProperty("bench.alloc-port")
@Configuration(proxyBeanMethods = false)
public class AllocationCounter {

	@Bean
	Endpoint benchAllocationEndpoint(@Value("${bench.alloc-port}") int port) throws IOException {
		return new Endpoint(port);
	}

	/** The HTTP server; {@link #destroy()} stops it. */
	static final class Endpoint implements DisposableBean {

		private final HttpServer server;

		Endpoint(int port) throws IOException {
			ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
			if (!threads.isThreadAllocatedMemorySupported()) {
				throw new IllegalStateException("this JVM does not count the memory its threads allocate");
			}
			threads.setThreadAllocatedMemoryEnabled(true);
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
			this.server.createContext("/", (exchange) -> {
				byte[] body = Long.toString(threads.getTotalThreadAllocatedBytes()).getBytes(StandardCharsets.US_ASCII);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			this.server.start();
		}

		@Override
		public void destroy() {
			this.server.stop(0);
		}

	}

}
