package io.autobahn.spring.websocket.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this instance knows of the other instances from what they sent: each one's last
 * sequence number, so that a broadcast that comes twice is delivered once and a gap
 * counts the broadcasts that never came, and each one's connection count and when its
 * last heartbeat came. An instance is known from its first message on: nothing before it
 * counts as missed. Thread-safe.
 */
final class ClusterPeers {

	private final Map<String, Peer> peers = new ConcurrentHashMap<>();

	private final LongAdder missed = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	/**
	 * Take a broadcast of another instance.
	 * @return whether it is new (not one already taken), to deliver
	 */
	boolean broadcast(String origin, long sequence) {
		Peer peer = this.peers.computeIfAbsent(origin, (id) -> new Peer(sequence - 1));
		synchronized (peer) {
			if (sequence <= peer.lastSequence) {
				this.duplicates.increment();
				return false;
			}
			if (sequence > peer.lastSequence + 1) {
				this.missed.add(sequence - peer.lastSequence - 1);
			}
			peer.lastSequence = sequence;
			return true;
		}
	}

	/**
	 * Take a heartbeat of another instance: its last broadcast's sequence number, whose
	 * gap to the last one taken counts as missed, and its connection count.
	 */
	void heartbeat(String origin, long sequence, int connections) {
		Peer peer = this.peers.computeIfAbsent(origin, (id) -> new Peer(sequence));
		synchronized (peer) {
			if (sequence > peer.lastSequence) {
				this.missed.add(sequence - peer.lastSequence);
				peer.lastSequence = sequence;
			}
			peer.connections = connections;
			peer.heardAt = System.nanoTime();
			peer.counted = true;
		}
	}

	/**
	 * Put the connection count of each instance whose last heartbeat came within the
	 * given time into the map.
	 */
	void putConnections(Map<String, Integer> counts, long withinNanos) {
		long now = System.nanoTime();
		this.peers.forEach((id, peer) -> {
			if (peer.counted && now - peer.heardAt < withinNanos) {
				counts.put(id, peer.connections);
			}
		});
	}

	/**
	 * Forget the instances not heard from for the given time (each restart of an instance
	 * has a new id).
	 */
	void forget(long silentNanos) {
		long now = System.nanoTime();
		this.peers.values().removeIf((peer) -> peer.counted && now - peer.heardAt > silentNanos);
	}

	long missed() {
		return this.missed.sum();
	}

	long duplicates() {
		return this.duplicates.sum();
	}

	/** What this instance knows of another one. */
	private static final class Peer {

		/** The last sequence number taken; guarded by the peer's monitor. */
		long lastSequence;

		volatile int connections;

		/** When its last heartbeat came (System.nanoTime), if {@link #counted}. */
		volatile long heardAt;

		/** Whether a heartbeat of it came. */
		volatile boolean counted;

		Peer(long lastSequence) {
			this.lastSequence = lastSequence;
		}

	}

}
