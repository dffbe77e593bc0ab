package io.autobahn.spring.websocket.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Formats a peer address the way Autobahn does: {@code tcp4:127.0.0.1:54321},
 * {@code tcp6:::1:54321} (compressed, no brackets, no scope), or {@code unknown}.
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
		if (inet instanceof Inet6Address) {
			return "tcp6:" + compress(inet.getAddress()) + ":" + address.getPort();
		}
		return "tcp4:" + inet.getHostAddress() + ":" + address.getPort();
	}

	/**
	 * RFC 5952 text form: the longest run of two or more zero groups becomes {@code ::}.
	 */
	private static String compress(byte[] address) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			int length = 0;
			while (i + length < 8 && groups[i + length] == 0) {
				length++;
			}
			if (length > bestLength) {
				bestStart = i;
				bestLength = length;
			}
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

}
