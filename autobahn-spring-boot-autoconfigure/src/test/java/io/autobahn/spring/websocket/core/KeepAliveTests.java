package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeepAlive}: Autobahn's auto-ping, against a fake clock and scheduler
 * (no sockets, no threads).
 */
class KeepAliveTests {

	private static final long SECOND = 1_000_000_000L;

	/** 2026-01-01T00:00:00Z in nanoseconds since the epoch. */
	private static final long EPOCH_START = 1_767_225_600L * SECOND;

	private final FakeTime time = new FakeTime();

	private final RecordingListener listener = new RecordingListener();

	@Test
	void firstPingGoesAnIntervalAfterStart() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 0, true);
		keepAlive.start();
		this.time.advance(10 * SECOND - 1);
		assertThat(this.listener.pings).isEmpty();
		this.time.advance(1);
		assertThat(this.listener.pings).hasSize(1);
	}

	@Test
	void pingCarriesEpochNanosSequenceAndPaddingToTheConfiguredSize() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 0, true, 20);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		byte[] ping = this.listener.pings.get(0);
		assertThat(ping).hasSize(20);
		ByteBuffer payload = ByteBuffer.wrap(ping);
		assertThat(payload.getLong()).isEqualTo(EPOCH_START + 10 * SECOND);
		assertThat(payload.getInt()).isEqualTo(1);
	}

	@Test
	void nextPingGoesAnIntervalAfterThePongNotAtAFixedRate() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 0, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		this.time.advance(3 * SECOND);
		assertThat(keepAlive.pongReceived(this.listener.pings.get(0))).isNotNull();
		// A fixed rate would ping at 20 s; Autobahn pings an interval after the pong: 23
		// s.
		this.time.advance(7 * SECOND);
		assertThat(this.listener.pings).hasSize(1);
		this.time.advance(3 * SECOND);
		assertThat(this.listener.pings).hasSize(2);
		assertThat(ByteBuffer.wrap(this.listener.pings.get(1)).getLong()).isEqualTo(EPOCH_START + 23 * SECOND);
		assertThat(ByteBuffer.wrap(this.listener.pings.get(1), 8, 4).getInt()).isEqualTo(2);
	}

	@Test
	void oneOutstandingPingWithoutATimeoutMeansNoFurtherPingUntilItIsAnswered() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 0, true);
		keepAlive.start();
		this.time.advance(100 * SECOND);
		assertThat(this.listener.pings).hasSize(1);
		assertThat(this.listener.timeouts).isZero();
	}

	@Test
	void pongAnsweringThePingReportsTheRoundTripAndTimestamps() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		this.time.advance(250_000_000L);
		byte[] ping = this.listener.pings.get(0);
		KeepAlive.AutoPong pong = keepAlive.pongReceived(ping.clone());
		assertThat(pong).isNotNull();
		assertThat(pong.pingSentEpochNanos()).isEqualTo(EPOCH_START + 10 * SECOND);
		assertThat(pong.pongReceivedEpochNanos()).isEqualTo(EPOCH_START + 10 * SECOND + 250_000_000L);
		assertThat(pong.rttNanos()).isEqualTo(250_000_000L);
		assertThat(pong.sequence()).isEqualTo(1);
		assertThat(pong.payload()).isEqualTo(ping);
		// The answered ping's timeout is cancelled; the next ping's runs from its own
		// send.
		this.time.advance(14 * SECOND);
		assertThat(this.listener.pings).hasSize(2);
		assertThat(this.listener.timeouts).isZero();
	}

	@Test
	void roundTripIsMeasuredOnTheMonotonicClockEvenWhenTheWallClockJumps() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 0, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		this.time.epochOffset -= 3600 * SECOND;
		this.time.advance(SECOND);
		assertThat(keepAlive.pongReceived(this.listener.pings.get(0)).rttNanos()).isEqualTo(SECOND);
	}

	@Test
	void pongWithAnotherPayloadDoesNotAnswerThePing() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, false);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		byte[] wrong = this.listener.pings.get(0).clone();
		wrong[11] ^= 1;
		assertThat(keepAlive.pongReceived(wrong)).isNull();
		assertThat(keepAlive.pongReceived(new byte[0])).isNull();
		this.time.advance(5 * SECOND);
		assertThat(this.listener.timeouts).isEqualTo(1);
	}

	@Test
	void unansweredPingTimesOutOnceAndNothingFollows() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		this.time.advance(5 * SECOND - 1);
		assertThat(this.listener.timeouts).isZero();
		this.time.advance(1);
		assertThat(this.listener.timeouts).isEqualTo(1);
		this.time.advance(100 * SECOND);
		assertThat(this.listener.timeouts).isEqualTo(1);
		assertThat(this.listener.pings).hasSize(1);
		// A late pong changes nothing.
		assertThat(keepAlive.pongReceived(this.listener.pings.get(0))).isNull();
	}

	@Test
	void dataWhileTheTimeoutRunsAnswersThePingWithRestartOnAnyTraffic() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		this.time.advance(2 * SECOND);
		keepAlive.dataReceived();
		this.time.advance(9 * SECOND);
		assertThat(this.listener.timeouts).isZero();
		assertThat(this.listener.pings).hasSize(1);
		// The next ping goes an interval after the data, at 22 s.
		this.time.advance(SECOND);
		assertThat(this.listener.pings).hasSize(2);
		// The pong of the discarded ping no longer counts.
		assertThat(keepAlive.pongReceived(this.listener.pings.get(0))).isNull();
		assertThat(keepAlive.pongReceived(this.listener.pings.get(1))).isNotNull();
	}

	@Test
	void dataDoesNotAnswerThePingWithoutRestartOnAnyTraffic() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, false);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		keepAlive.dataReceived();
		this.time.advance(5 * SECOND);
		assertThat(this.listener.timeouts).isEqualTo(1);
	}

	@Test
	void dataBetweenPingsChangesNothing() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, true);
		keepAlive.start();
		this.time.advance(4 * SECOND);
		keepAlive.dataReceived();
		this.time.advance(6 * SECOND);
		assertThat(this.listener.pings).hasSize(1);
		assertThat(this.time.scheduledCount()).as("the timeout only").isEqualTo(1);
	}

	@Test
	void stopCancelsThePingAndTheTimeout() {
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		keepAlive.stop();
		assertThat(this.time.scheduledCount()).isZero();
		this.time.advance(100 * SECOND);
		assertThat(this.listener.timeouts).isZero();
		assertThat(this.listener.pings).hasSize(1);
		assertThat(keepAlive.pongReceived(this.listener.pings.get(0))).isNull();
	}

	@Test
	void taskCancelledTooLateToBeStoppedDoesNothing() {
		this.time.ignoreCancel = true;
		KeepAlive keepAlive = keepAlive(10 * SECOND, 5 * SECOND, true);
		keepAlive.start();
		this.time.advance(10 * SECOND);
		keepAlive.pongReceived(this.listener.pings.get(0));
		this.time.advance(5 * SECOND);
		assertThat(this.listener.timeouts).isZero();
		keepAlive.stop();
		this.time.advance(100 * SECOND);
		assertThat(this.listener.pings).hasSize(1);
	}

	private KeepAlive keepAlive(long interval, long timeout, boolean restartOnAnyTraffic) {
		return keepAlive(interval, timeout, restartOnAnyTraffic, 12);
	}

	private KeepAlive keepAlive(long interval, long timeout, boolean restartOnAnyTraffic, int size) {
		return new KeepAlive(this.time, this.time, this.listener, interval, timeout, size, restartOnAnyTraffic);
	}

	private static final class RecordingListener implements KeepAlive.Listener {

		final List<byte[]> pings = new ArrayList<>();

		int timeouts;

		@Override
		public void sendPing(byte[] payload) {
			this.pings.add(payload);
		}

		@Override
		public void pingTimedOut() {
			this.timeouts++;
		}

	}

	/**
	 * A clock and scheduler in one: {@link #advance(long)} moves time and runs what falls
	 * due, in order.
	 */
	private static final class FakeTime implements KeepAlive.Scheduler, KeepAlive.Clock {

		private final List<Scheduled> tasks = new ArrayList<>();

		private long now = 42;

		long epochOffset = EPOCH_START - 42;

		boolean ignoreCancel;

		@Override
		public KeepAlive.Cancellable schedule(Runnable task, long delayNanos) {
			Scheduled scheduled = new Scheduled(this.now + delayNanos, task);
			this.tasks.add(scheduled);
			return () -> {
				if (!this.ignoreCancel) {
					this.tasks.remove(scheduled);
				}
			};
		}

		@Override
		public long nanoTime() {
			return this.now;
		}

		@Override
		public long epochNanos() {
			return this.now + this.epochOffset;
		}

		void advance(long nanos) {
			long target = this.now + nanos;
			for (;;) {
				Scheduled next = this.tasks.stream()
					.filter((task) -> task.due() <= target)
					.min(Comparator.comparingLong(Scheduled::due))
					.orElse(null);
				if (next == null) {
					break;
				}
				this.tasks.remove(next);
				this.now = next.due();
				next.task().run();
			}
			this.now = target;
		}

		int scheduledCount() {
			return this.tasks.size();
		}

		private record Scheduled(long due, Runnable task) {
		}

	}

}
