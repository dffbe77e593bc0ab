/**
 * What reads an opening handshake, the same on every stack and port: the checks before
 * {@code onConnect} ({@link io.autobahn.spring.websocket.handshake.HandshakeValidator}:
 * the path rule, the request line and headers, the
 * {@link io.autobahn.spring.websocket.handshake.OriginPolicy}), the
 * {@link io.autobahn.spring.websocket.ConnectionRequest} built from it, peers in
 * Autobahn's format and the permessage-deflate offers a server must decline.
 */
@NullMarked
package io.autobahn.spring.websocket.handshake;

import org.jspecify.annotations.NullMarked;
