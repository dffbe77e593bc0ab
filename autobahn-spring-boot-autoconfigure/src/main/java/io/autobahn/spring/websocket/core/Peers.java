package io.autobahn.spring.websocket.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Formats a peer address the way Autobahn does: {@code tcp4:127.0.0.1:54321},
 * {@code tcp6:::1:54321} (no brackets), or {@code unknown}.
 */
public final class Peers {

	private Peers() {
	}

	/**
	 * Format a remote address.
	 * @param address the address, or {@code null}
	 * @return the peer string
	 */
	public static String format(@Nullable InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		InetAddress inet = address.getAddress();
		if (inet == null) {
			return "tcp:" + address.getHostString() + ":" + address.getPort();
		}
		String family = (inet instanceof Inet6Address) ? "tcp6:" : "tcp4:";
		String host = inet.getHostAddress();
		int scope = host.indexOf('%');
		if (scope >= 0) {
			host = host.substring(0, scope);
		}
		return family + host + ":" + address.getPort();
	}

}
