package io.autobahn.spring.websocket.core;

import java.util.List;

/**
 * The application's endpoints at run time, for the stack adapters to serve.
 *
 * @param endpoints the endpoints, with unique names and paths
 */
public record ServerEndpoints(List<ServerEndpoint> endpoints) {
}
