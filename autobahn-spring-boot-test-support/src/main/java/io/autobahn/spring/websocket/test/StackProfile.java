package io.autobahn.spring.websocket.test;

import org.jspecify.annotations.Nullable;

/**
 * The server stack the shared behaviour tests run on, and what of Autobahn's semantics it
 * honours where the README's table of what each stack cannot honour says it does not.
 * Each stack's test module provides one implementation
 * (autobahn-spring-boot-tests-tomcat, -jetty and -netty) and names it in the system
 * property {@value #PROPERTY}, which the build's surefire configuration sets from the
 * module's Maven property of the same name. A shared test asks this profile, never the
 * web server's class, so that a stack's difference is asserted as what that stack does
 * instead of skipped. {@code StackProfileTests} checks on every stack that the profile
 * names the web server the tests really run on.
 * <p>
 * Implementations are stateless; {@link #current()} may be called from any thread.
 */
public interface StackProfile {

	/**
	 * The system property that names the implementation class of the running test module.
	 */
	String PROPERTY = "autobahn.test.stack-profile";

	/**
	 * The stack's short name, as in the conformance report ({@code Tomcat},
	 * {@code Jetty}, {@code Netty}); the web server's class name contains it.
	 * @return the name
	 */
	String name();

	/**
	 * Whether a close frame without payload stays one: {@code onClose} gets
	 * {@code (true, null, null)} for it and the server answers it without payload. Tomcat
	 * reports and answers it as 1000 instead (the Jakarta WebSocket API has no close
	 * without a code).
	 * @return whether empty close frames stay empty
	 */
	boolean keepsEmptyCloseFrames();

	/**
	 * Whether {@code onClose} after a server-initiated close gets the code and reason of
	 * the peer's answering close frame. Tomcat does not hand the peer's close frame over,
	 * so {@code onClose} gets the server's own code and reason there ({@code wasClean}
	 * still tells whether the peer answered).
	 * @return whether the peer's close frame is reported
	 */
	boolean reportsPeersCloseFrame();

	/**
	 * Whether the stack accepts every valid permessage-deflate offer, every
	 * {@code server_max_window_bits} from 9 to 15 included (Reactor Netty with jzlib);
	 * the servlet containers decline some (see the README).
	 * @return whether every valid offer is accepted
	 */
	boolean acceptsEveryDeflateOffer();

	/**
	 * Whether {@code onMessage(ByteBuffer, boolean)} gets a binary message that arrived
	 * in one frame in the stack's own direct memory, not copied onto the heap: Reactor
	 * Netty (the frame's pooled buffer). Tomcat hands over its heap buffer (not copied by
	 * the starter either); Jetty as its profile says.
	 * @return whether such a message comes in a direct buffer
	 */
	boolean handsOverDirectBuffers();

	/**
	 * Whether the container, with {@code server.forward-headers-strategy=native}, takes
	 * the client's address out of {@code X-Forwarded-For} itself and rewrites the header,
	 * so that {@code trust-x-forwarded-for} finds the header gone and the peer is the
	 * container's answer: Tomcat's {@code RemoteIpValve}. Jetty's and Reactor Netty's
	 * forwarded-header support leave the header as the proxy sent it.
	 * @return whether the native strategy consumes the header
	 */
	boolean rewritesForwardedForNatively();

	/**
	 * The profile of the running test module.
	 * @return the profile named by {@value #PROPERTY}
	 * @throws IllegalStateException if the property is missing or names no profile
	 */
	static StackProfile current() {
		return Current.INSTANCE;
	}

	/** Loads the profile once per JVM. */
	final class Current {

		static final StackProfile INSTANCE = load(System.getProperty(PROPERTY));

		private Current() {
		}

		static StackProfile load(@Nullable String className) {
			if (className == null || className.isBlank()) {
				throw new IllegalStateException("No stack profile: the system property " + PROPERTY
						+ " names the test module's StackProfile class (the surefire configuration of the "
						+ "build sets it; set it yourself when running the tests elsewhere)");
			}
			try {
				return (StackProfile) Class.forName(className.strip()).getDeclaredConstructor().newInstance();
			}
			catch (ReflectiveOperationException | ClassCastException ex) {
				throw new IllegalStateException(PROPERTY + "=" + className + " names no StackProfile: " + ex, ex);
			}
		}

	}

}
