package io.autobahn.spring.websocket.handshake;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The permessage-deflate offers that RFC 7692 (7.1) requires a server to decline whatever
 * it supports: a parameter the extension does not define, one given twice, a value on
 * {@code server_no_context_takeover} or {@code client_no_context_takeover}, a window
 * outside 8 to 15, or {@code server_max_window_bits} without one. A stack that would fail
 * the handshake on such an offer, or accept it, is not shown it.
 */
public final class DeflateOffers {

	private DeflateOffers() {
	}

	/**
	 * Return whether a permessage-deflate offer is valid.
	 * @param offer one offer from {@code Sec-WebSocket-Extensions}, such as
	 * {@code permessage-deflate; client_max_window_bits}
	 * @return whether the offer may be accepted
	 */
	public static boolean isValid(String offer) {
		String[] parts = offer.split(";");
		Map<String, @Nullable String> parameters = new HashMap<>();
		for (int i = 1; i < parts.length; i++) {
			String[] pair = parts[i].split("=", 2);
			String value = (pair.length > 1) ? pair[1].trim().replace("\"", "") : null;
			if (parameters.containsKey(pair[0].trim().toLowerCase(Locale.ROOT))) {
				return false;
			}
			parameters.put(pair[0].trim().toLowerCase(Locale.ROOT), value);
		}
		return isValid(parameters);
	}

	/**
	 * Return whether the parameters of a permessage-deflate offer are valid.
	 * @param parameters the parameters by name, {@code null} for one without a value
	 * @return whether the offer may be accepted
	 */
	public static boolean isValid(Map<String, ? extends @Nullable String> parameters) {
		for (Map.Entry<String, ? extends @Nullable String> parameter : parameters.entrySet()) {
			String value = parameter.getValue();
			boolean valid = switch (parameter.getKey().toLowerCase(Locale.ROOT)) {
				case "server_no_context_takeover", "client_no_context_takeover" -> value == null;
				case "server_max_window_bits" -> isWindow(value);
				case "client_max_window_bits" -> value == null || isWindow(value);
				default -> false;
			};
			if (!valid) {
				return false;
			}
		}
		return true;
	}

	private static boolean isWindow(@Nullable String value) {
		return value != null && value.matches("[89]|1[0-5]");
	}

}
