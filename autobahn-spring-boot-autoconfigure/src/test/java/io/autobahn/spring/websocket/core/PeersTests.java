package io.autobahn.spring.websocket.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;

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
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 80))).isEqualTo("tcp6:fe80::1:80");
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 1)))
			.isEqualTo("tcp6:2001:db8::1:0:0:1:1");
		assertThat(Peers.format(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:3:4:5:6"), 1)))
			.isEqualTo("tcp6:2001:db8:1:2:3:4:5:6:1");
	}

	@Test
	void missingAddressIsUnknown() {
		assertThat(Peers.format(null)).isEqualTo("unknown");
	}

}
