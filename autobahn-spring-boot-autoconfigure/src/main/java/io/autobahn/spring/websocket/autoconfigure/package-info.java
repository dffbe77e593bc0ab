/**
 * Auto-configuration and configuration properties.
 */
@NullMarked
package io.autobahn.spring.websocket.autoconfigure;

import org.jspecify.annotations.NullMarked;
