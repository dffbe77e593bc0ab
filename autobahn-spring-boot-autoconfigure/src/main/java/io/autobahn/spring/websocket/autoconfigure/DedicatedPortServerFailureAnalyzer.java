package io.autobahn.spring.websocket.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.autobahn.spring.websocket.server.DedicatedPortServerException;

/**
 * Reports a dedicated port that could not be bound, such as one already in use, in Spring
 * Boot's "APPLICATION FAILED TO START" format, as Spring Boot reports its own server's
 * port.
 */
class DedicatedPortServerFailureAnalyzer extends AbstractFailureAnalyzer<DedicatedPortServerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DedicatedPortServerException cause) {
		List<String> names = cause.getEndpointNames();
		String key = (names.size() == 1) ? AutobahnWebSocketProperties.endpointKey(names.get(0)) + ".port"
				: AutobahnWebSocketProperties.ENDPOINTS_PREFIX + ".<name>.port";
		String message = String.valueOf(cause.getMessage());
		String action = message.endsWith("in use")
				? "Identify and stop the process that is listening on port " + cause.getPort() + ", or give the "
						+ "endpoint another port with " + key + " (0 picks a free one)."
				: "Give the endpoint a port this process may bind with " + key + " (0 picks a free one).";
		return new FailureAnalysis(message + ".", action, cause);
	}

}
