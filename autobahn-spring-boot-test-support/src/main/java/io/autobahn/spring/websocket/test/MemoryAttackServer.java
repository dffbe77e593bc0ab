package io.autobahn.spring.websocket.test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.WebSocketBudgets;

/**
 * The server of the memory attack test, run in a JVM of its own with a small heap: the
 * starter's defaults, an echo endpoint on {@code /echo}, and on {@code /status} the
 * figures the test watches, as one line of {@code name=value} pairs ({@code "gc"}
 * collects garbage first, so that the heap figure is what is live). Prints
 * {@value #PORT_LINE} and the port once it listens. Runs on whichever stack the class
 * path brings.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ MemoryAttackServer.EchoProtocol.class, MemoryAttackServer.StatusProtocol.class })
public class MemoryAttackServer {

	/** Start of the line that gives the port. */
	public static final String PORT_LINE = "MEMORY-ATTACK-SERVER-PORT ";

	public static void main(String[] args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(MemoryAttackServer.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run(args);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		System.out.println(PORT_LINE + port + " " + context.getClass().getSimpleName());
	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoProtocol extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

	}

	@WebSocketEndpoint(path = "/status", name = "status")
	static class StatusProtocol extends WebSocketServerProtocol {

		private final WebSocketBudgets budgets;

		private final ConnectionRegistry registry;

		StatusProtocol(WebSocketBudgets budgets, ConnectionRegistry registry) {
			this.budgets = budgets;
			this.registry = registry;
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			if (new String(payload, StandardCharsets.UTF_8).equals("gc")) {
				for (int i = 0; i < 3; i++) {
					System.gc();
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			Budget inbound = this.budgets.getInbound();
			Budget outbound = this.budgets.getOutbound();
			sendMessage("inboundInUse=" + inbound.getInUse() + " inboundPeak=" + inbound.getPeak() + " inboundLimit="
					+ inbound.getLimit() + " inboundRefusals=" + inbound.getRefusals() + " outboundInUse="
					+ outbound.getInUse() + " connections=" + this.registry.size() + " heapUsed="
					+ memory.getHeapMemoryUsage().getUsed() + " heapMax=" + Runtime.getRuntime().maxMemory());
		}

	}

}
