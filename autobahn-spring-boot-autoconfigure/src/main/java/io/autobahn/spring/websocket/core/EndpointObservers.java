package io.autobahn.spring.websocket.core;

/**
 * Gives each endpoint its {@link EndpointObserver}, once, when the endpoint is created at
 * startup: the metrics of a library are registered there, so that nothing is looked up
 * per event. A bean in an application; {@link #NONE} where there is none. Thread-safe.
 */
@FunctionalInterface
public interface EndpointObservers {

	/** Observers that observe nothing. */
	EndpointObservers NONE = (endpoint, side) -> EndpointObserver.NONE;

	/**
	 * Return the observer of an endpoint.
	 * @param endpoint the endpoint's name
	 * @param side which side of its connections the application is on
	 * @return the observer, kept for the application's life
	 */
	EndpointObserver forEndpoint(String endpoint, Side side);

	/**
	 * Which side of a connection the application is on. Each has a short name for a
	 * metric's tag.
	 */
	enum Side {

		/** The application accepted the connection. */
		SERVER("server"),

		/** The application opened the connection. */
		CLIENT("client");

		private final String tag;

		Side(String tag) {
			this.tag = tag;
		}

		/**
		 * Return the short name.
		 * @return {@code server} or {@code client}
		 */
		public String tag() {
			return this.tag;
		}

	}

}
