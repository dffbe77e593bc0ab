package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OriginTests} on Tomcat.
 */
class TomcatOriginTests extends OriginTests {

}
