package io.autobahn.spring.websocket.handshake;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Formats a peer address the way Autobahn does: {@code tcp4:127.0.0.1:54321},
 * {@code tcp6:::1:54321} (compressed, no brackets, no scope), or {@code unknown}; and,
 * for {@code trust-x-forwarded-for}, picks the client's address out of
 * {@code X-Forwarded-For} as Autobahn's {@code trustXForwardedFor} does, as a bare IP
 * ({@code 203.0.113.7}, {@code 2001:db8::7}).
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
	 * Pick the address that the given number of trusted proxies says the request came
	 * from: each proxy appends the address it received the request from to
	 * {@code X-Forwarded-For}, so the entry that many places from the right was written
	 * by the farthest trusted proxy; what stands left of it anyone could have written.
	 * With fewer entries than trusted proxies, every entry was written by one of them and
	 * the leftmost is the client. Several header lines count as one list, in order. An
	 * entry may carry a port ({@code 203.0.113.7:4711}, {@code [2001:db8::7]:4711}),
	 * which is dropped, as Autobahn's peer is a bare IP then.
	 * @param values the header's lines, as the proxy sent them
	 * @param trustedHops how many proxies are trusted, at least 1
	 * @return the bare IP, {@code unknown} when the entry is not an IP literal, or
	 * {@code null} when the header has no entry
	 */
	public static @Nullable String forwardedFor(List<String> values, int trustedHops) {
		int remaining = trustedHops;
		String leftmost = null;
		for (int i = values.size() - 1; i >= 0; i--) {
			String line = values.get(i);
			int end = line.length();
			while (end >= 0) {
				int comma = line.lastIndexOf(',', end - 1);
				String entry = line.substring(comma + 1, end).trim();
				if (!entry.isEmpty()) {
					leftmost = entry;
					if (--remaining == 0) {
						return formatForwarded(entry);
					}
				}
				end = comma;
			}
		}
		return (leftmost != null) ? formatForwarded(leftmost) : null;
	}

	private static String formatForwarded(String entry) {
		String host = entry;
		if (host.startsWith("[")) {
			int close = host.indexOf(']');
			host = (close > 0) ? host.substring(1, close) : host;
		}
		else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
			// IPv4 with a port; an IPv6 literal without brackets has more than one colon.
			host = host.substring(0, host.indexOf(':'));
		}
		InetAddress inet = parseLiteral(host);
		if (inet == null) {
			return "unknown";
		}
		return (inet instanceof Inet6Address) ? compress(inet.getAddress()) : inet.getHostAddress();
	}

	/**
	 * Parse an IPv4 or IPv6 literal (IPv6 with or without brackets) without a name
	 * lookup.
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
