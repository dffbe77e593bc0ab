package io.autobahn.spring.websocket.handshake;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Formats a peer address the way Autobahn does: {@code tcp4:127.0.0.1:54321},
 * {@code tcp6:::1:54321} (compressed, no brackets, no scope), or {@code unknown}.
 * <p>
 * An unresolved address (as forwarded-header support creates from a header value) is
 * formatted from its host string when that is an IP literal; a host name, or an
 * obfuscated identifier such as RFC 7239's {@code _hidden}, gives {@code unknown}, since
 * Autobahn has no format for a peer known only by name. No DNS lookup is made.
 */
public final class Peers {

	private static final Pattern IPV4_LITERAL = Pattern
		.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z._-]+)?");

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
			inet = parseLiteral(address.getHostString());
			if (inet == null) {
				return "unknown";
			}
		}
		if (inet instanceof Inet6Address) {
			return "tcp6:" + compress(inet.getAddress()) + ":" + address.getPort();
		}
		return "tcp4:" + inet.getHostAddress() + ":" + address.getPort();
	}

	/**
	 * Parse an IPv4 or IPv6 literal (IPv6 with or without brackets) without a name lookup.
	 */
	private static @Nullable InetAddress parseLiteral(String host) {
		String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		boolean ipv4 = IPV4_LITERAL.matcher(literal).matches();
		// An IPv6 literal has a colon and only hex digits, colons, dots (an embedded IPv4
		// address) and a zone after '%'; anything else could make getByName look it up.
		boolean ipv6 = literal.indexOf(':') >= 0 && IPV6_LITERAL.matcher(literal).matches();
		if (!ipv4 && !ipv6) {
			return null;
		}
		try {
			// The zone is dropped from the peer string anyway; naming an interface that
			// does not exist here would fail the parse.
			int zone = literal.indexOf('%');
			return InetAddress.getByName(ipv6 && zone >= 0 ? literal.substring(0, zone) : literal);
		}
		catch (UnknownHostException ex) {
			return null;
		}
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
