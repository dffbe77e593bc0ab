package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.env.Environment;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ReceiveMode;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;

/**
 * Says once at startup which settings the stack that serves the endpoints cannot honour:
 * the one place that knows the README's table "what each stack cannot honour", called
 * where each stack's endpoints are mapped (the servlet and the WebFlux handler mappings,
 * the dedicated ports):
 * <ul>
 * <li>{@code open-handshake-timeout} on the application's port, every stack: the port
 * serves the application's HTTP too, so the starter sees a connection only once its
 * request has arrived. One line for the application, naming its endpoints: a WARN, or a
 * DEBUG when the container's own timeout property is set, which then bounds the
 * handshake.</li>
 * <li>{@code max-frame-payload-size} on Tomcat and Jetty, which do not refuse large
 * frames: a WARN per endpoint that sets it.</li>
 * <li>{@code onPing} on Tomcat and Jetty, which answer pings themselves: a WARN per
 * endpoint whose protocol overrides it.</li>
 * <li>Frames of streamed messages on Tomcat and Jetty, which hand over parts of a message
 * rather than its frames: a WARN per endpoint whose protocol overrides
 * {@code onMessageFrameBegin} or {@code onMessageFrameEnd}, which then bracket
 * parts.</li>
 * </ul>
 * A dedicated port (Reactor Netty) honours them all. Stateless.
 */
final class UnsupportedSettingsWarner {

	private static final Log logger = LogFactory.getLog(UnsupportedSettingsWarner.class);

	private UnsupportedSettingsWarner() {
	}

	/**
	 * Log what the stack cannot honour for the endpoints it serves.
	 * @param stack the stack
	 * @param endpoints every endpoint: those it serves are picked here
	 * @param environment the environment, for the container's own properties
	 */
	static void warn(Stack stack, ServerEndpoints endpoints, Environment environment) {
		List<EndpointDefinition> served = endpoints.endpoints()
			.stream()
			.map(ServerEndpoint::getDefinition)
			.filter((endpoint) -> stack.servesDedicatedPorts() == endpoint.hasDedicatedPort())
			.toList();
		if (stack.servesDedicatedPorts()) {
			return;
		}
		openHandshakeTimeout(stack, served, environment);
		if (stack.isServlet()) {
			for (EndpointDefinition endpoint : served) {
				if (endpoint.settings().maxFramePayloadSize() > 0) {
					// Jetty's own frame limit splits larger frames (and outgoing
					// messages) rather than refusing them.
					logger.warn(prefix(endpoint) + "max-frame-payload-size is not applied on " + stack.container
							+ ", which does not refuse large frames; max-message-payload-size still bounds every message");
				}
				if (endpoint.overrides("onPing", byte[].class)) {
					logger.warn(prefix(endpoint) + endpoint.protocolType().getSimpleName()
							+ ".onPing is not called on the servlet stack: " + stack.container
							+ " answers pings itself");
				}
				if (endpoint.receiveMode() == ReceiveMode.STREAM
						&& (endpoint.overrides("onMessageFrameBegin", long.class)
								|| endpoint.overrides("onMessageFrameEnd"))) {
					logger.warn(prefix(endpoint) + endpoint.protocolType().getSimpleName() + " streams messages, but "
							+ stack.container + " hands them over in parts, not frames: "
							+ "onMessageFrameBegin and onMessageFrameEnd bracket each part (what has arrived of the "
							+ "message), and the length is the part's");
				}
			}
		}
	}

	private static void openHandshakeTimeout(Stack stack, List<EndpointDefinition> served, Environment environment) {
		List<String> names = served.stream()
			.filter((endpoint) -> isPositive(endpoint.settings().openHandshakeTimeout()))
			.map(EndpointDefinition::name)
			.toList();
		if (names.isEmpty()) {
			return;
		}
		boolean containerTimeoutSet = environment.containsProperty(stack.timeoutProperty);
		if (containerTimeoutSet ? !logger.isDebugEnabled() : !logger.isWarnEnabled()) {
			return;
		}
		String message = ((names.size() == 1) ? "WebSocket endpoint " : "WebSocket endpoints ")
				+ names.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
				+ ": open-handshake-timeout is not applied on the application's port: " + stack.timeout + " ("
				+ stack.timeoutProperty + ((containerTimeoutSet) ? ", set" : stack.timeoutDefault)
				+ ") limits how long a handshake may take";
		if (containerTimeoutSet) {
			logger.debug(message);
		}
		else {
			logger.warn(message);
		}
	}

	private static String prefix(EndpointDefinition endpoint) {
		return "WebSocket endpoint '" + endpoint.name() + "': ";
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isZero() && !duration.isNegative();
	}

	/**
	 * The stacks that serve endpoints, and the container properties the table names.
	 */
	enum Stack {

		/** Tomcat, the application's port. */
		TOMCAT("the servlet container", "the servlet container's connection timeout",
				"server.tomcat.connection-timeout", ", Tomcat's default 60s"),

		/** Jetty, the application's port. */
		JETTY("Jetty", "Jetty's idle timeout", "server.jetty.connection-idle-timeout", ", Jetty's default 30s"),

		/** Reactor Netty, the application's WebFlux port. */
		REACTOR_NETTY("Reactor Netty", "Reactor Netty's idle timeout", "server.netty.idle-timeout",
				", none unless set"),

		/** Reactor Netty, the dedicated ports. */
		DEDICATED_PORT("Reactor Netty", "", "", "");

		private final String container;

		private final String timeout;

		private final String timeoutProperty;

		private final String timeoutDefault;

		Stack(String container, String timeout, String timeoutProperty, String timeoutDefault) {
			this.container = container;
			this.timeout = timeout;
			this.timeoutProperty = timeoutProperty;
			this.timeoutDefault = timeoutDefault;
		}

		boolean isServlet() {
			return this == TOMCAT || this == JETTY;
		}

		boolean servesDedicatedPorts() {
			return this == DEDICATED_PORT;
		}

	}

}
