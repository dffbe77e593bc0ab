package io.autobahn.spring.websocket.handshake;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Peers}: Autobahn's peer strings.
 */
class PeersTests {

	@Test
	void ipv4PeerIsTcp4WithPort() throws Exception {
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 54321)))
			.isEqualTo("tcp4:127.0.0.1:54321");
	}

	@Test
	void ipv6PeerIsTcp6WithoutBracketsOrScope() throws Exception {
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("::1"), 443))).isEqualTo("tcp6:::1:443");
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 80)))
			.isEqualTo("tcp6:fe80::1:80");
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 1)))
			.isEqualTo("tcp6:2001:db8::1:0:0:1:1");
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:3:4:5:6"), 1)))
			.isEqualTo("tcp6:2001:db8:1:2:3:4:5:6:1");
	}

	@Test
	void unresolvedIpLiteralIsFormattedLikeAResolvedOne() {
		assertThat(Peers.format(InetSocketAddress.createUnresolved("203.0.113.7", 54321)))
			.isEqualTo("tcp4:203.0.113.7:54321");
		assertThat(Peers.format(InetSocketAddress.createUnresolved("[2001:db8:0:0:0:0:0:7]", 443)))
			.isEqualTo("tcp6:2001:db8::7:443");
		assertThat(Peers.format(InetSocketAddress.createUnresolved("2001:db8::7", 443)))
			.isEqualTo("tcp6:2001:db8::7:443");
		assertThat(Peers.format(InetSocketAddress.createUnresolved("fe80::1%eth7", 80))).isEqualTo("tcp6:fe80::1:80");
	}

	@Test
	void unresolvedHostNameIsUnknownRatherThanAPrefixAutobahnNeverEmits() {
		// Autobahn's formats are tcp4, tcp6, unix and unknown: there is no tcp: prefix.
		assertThat(Peers.format(InetSocketAddress.createUnresolved("client.example.com", 54321))).isEqualTo("unknown");
		assertThat(Peers.format(InetSocketAddress.createUnresolved("_hidden", 54321))).isEqualTo("unknown");
		assertThat(Peers.format(InetSocketAddress.createUnresolved("256.1.1.1", 1))).isEqualTo("unknown");
	}

	@Test
	void forwardedForTakesTheEntryAsManyPlacesFromTheRightAsProxiesAreTrusted() {
		List<String> header = List.of("203.0.113.7, 198.51.100.9, 10.0.0.2");
		assertThat(Peers.forwardedFor(header, 1)).isEqualTo("10.0.0.2");
		assertThat(Peers.forwardedFor(header, 2)).isEqualTo("198.51.100.9");
		assertThat(Peers.forwardedFor(header, 3)).isEqualTo("203.0.113.7");
	}

	@Test
	void forwardedForWithFewerEntriesThanTrustedProxiesTakesTheLeftmost() {
		// Every entry was appended by a trusted proxy: the leftmost is the client.
		assertThat(Peers.forwardedFor(List.of("198.51.100.9"), 2)).isEqualTo("198.51.100.9");
	}

	@Test
	void forwardedForReadsSeveralHeaderLinesAsOneListAndSkipsEmptyEntries() {
		List<String> header = List.of("203.0.113.7,, 198.51.100.9", " ", "10.0.0.2 ,");
		assertThat(Peers.forwardedFor(header, 1)).isEqualTo("10.0.0.2");
		assertThat(Peers.forwardedFor(header, 2)).isEqualTo("198.51.100.9");
		assertThat(Peers.forwardedFor(header, 3)).isEqualTo("203.0.113.7");
	}

	@Test
	void forwardedForGivesABareIpWithoutPortAsAutobahnDoes() {
		assertThat(Peers.forwardedFor(List.of("203.0.113.7:4711"), 1)).isEqualTo("203.0.113.7");
		assertThat(Peers.forwardedFor(List.of("2001:db8:0:0:0:0:0:7"), 1)).isEqualTo("2001:db8::7");
		assertThat(Peers.forwardedFor(List.of("[2001:db8::7]:4711"), 1)).isEqualTo("2001:db8::7");
		assertThat(Peers.forwardedFor(List.of("[2001:db8::7]"), 1)).isEqualTo("2001:db8::7");
	}

	@Test
	void forwardedForEntryThatIsNoIpLiteralIsUnknown() {
		assertThat(Peers.forwardedFor(List.of("client.example.com"), 1)).isEqualTo("unknown");
		assertThat(Peers.forwardedFor(List.of("unknown"), 1)).isEqualTo("unknown");
		assertThat(Peers.forwardedFor(List.of("_hidden, 10.0.0.2"), 2)).isEqualTo("unknown");
	}

	@Test
	void forwardedForWithoutEntriesIsNull() {
		assertThat(Peers.forwardedFor(List.of(), 1)).isNull();
		assertThat(Peers.forwardedFor(List.of("", " , "), 1)).isNull();
	}

	@Test
	void missingAddressIsUnknown() {
		assertThat(Peers.format(null)).isEqualTo("unknown");
	}

}
