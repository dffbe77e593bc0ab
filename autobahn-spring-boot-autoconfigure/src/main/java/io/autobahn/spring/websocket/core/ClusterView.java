package io.autobahn.spring.websocket.core;

import java.util.Map;

/**
 * What this application instance knows of the others it is linked with (for example
 * through Redis): its own id, whether the link is up, and each instance's open-connection
 * count as its last heartbeat said. For the Actuator endpoint. Implementations are
 * thread-safe and read live.
 */
public interface ClusterView {

	/**
	 * Return this instance's id.
	 * @return the id
	 */
	String getInstanceId();

	/**
	 * Return whether the link to the other instances is up.
	 * @return whether broadcasts travel
	 */
	boolean isLinkUp();

	/**
	 * Return the open-connection count of each instance recently heard from, this one
	 * included.
	 * @return the counts by instance id
	 */
	Map<String, Integer> getInstanceConnections();

}
