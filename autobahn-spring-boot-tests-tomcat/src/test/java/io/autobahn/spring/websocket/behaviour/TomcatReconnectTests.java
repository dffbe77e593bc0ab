package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ReconnectTests}: the jdk client transport, the server on Tomcat.
 */
class TomcatReconnectTests extends ReconnectTests {

	@Override
	String transport() {
		return "jdk";
	}

}
