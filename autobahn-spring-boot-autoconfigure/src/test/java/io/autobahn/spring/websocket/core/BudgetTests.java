package io.autobahn.spring.websocket.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Budget}: a reservation is granted whole or not at all, counts against
 * the parent too, a refusal is counted by the budget that refused, and under many threads
 * reserving and releasing at once the limit is never passed and every released byte comes
 * back (in use returns to exactly zero).
 */
class BudgetTests {

	@Test
	void reservationUpToTheLimitIsGrantedAndOneMoreIsRefusedWhole() {
		Budget budget = new Budget("test budget", 100, null);
		assertThat(budget.tryReserve(60)).isNull();
		assertThat(budget.tryReserve(40)).isNull();
		assertThat(budget.getInUse()).isEqualTo(100);
		assertThat(budget.tryReserve(1)).isSameAs(budget);
		assertThat(budget.getInUse()).as("a refused reservation takes nothing").isEqualTo(100);
		assertThat(budget.getRefusals()).isEqualTo(1);
		budget.release(40);
		assertThat(budget.tryReserve(41)).isSameAs(budget);
		assertThat(budget.tryReserve(40)).isNull();
		assertThat(budget.getPeak()).isEqualTo(100);
		assertThat(budget.getRefusals()).isEqualTo(2);
	}

	@Test
	void zeroAndNegativeAmountsReserveAndReleaseNothing() {
		Budget budget = new Budget("test budget", 10, null);
		assertThat(budget.tryReserve(0)).isNull();
		assertThat(budget.tryReserve(-5)).isNull();
		budget.release(0);
		budget.release(-3);
		assertThat(budget.getInUse()).isZero();
		assertThat(budget.getRefusals()).isZero();
	}

	@Test
	void aReservationCountsAgainstTheParentAndTheParentsRefusalIsTheParents() {
		Budget application = new Budget("application", 100, null);
		Budget endpointA = new Budget("endpoint a", 80, application);
		Budget endpointB = new Budget("endpoint b", Budget.UNLIMITED, application);
		assertThat(endpointA.tryReserve(70)).isNull();
		assertThat(endpointA.tryReserve(20)).as("over a's own limit").isSameAs(endpointA);
		assertThat(endpointB.tryReserve(40)).as("over the application's limit").isSameAs(application);
		assertThat(endpointB.getInUse()).as("nothing kept where the parent refused").isZero();
		assertThat(endpointB.tryReserve(30)).isNull();
		assertThat(application.getInUse()).isEqualTo(100);
		assertThat(endpointA.getRefusals()).isEqualTo(1);
		assertThat(endpointB.getRefusals()).isZero();
		assertThat(application.getRefusals()).isEqualTo(1);
		endpointA.release(70);
		endpointB.release(30);
		assertThat(application.getInUse()).isZero();
		assertThat(endpointA.getInUse()).isZero();
		assertThat(endpointB.getInUse()).isZero();
	}

	@Test
	void aBudgetWithoutALimitOnlyCounts() {
		Budget budget = new Budget("counting", Budget.UNLIMITED, null);
		assertThat(budget.isLimited()).isFalse();
		assertThat(budget.tryReserve(Long.MAX_VALUE / 2)).isNull();
		assertThat(budget.getInUse()).isEqualTo(Long.MAX_VALUE / 2);
		budget.release(Long.MAX_VALUE / 2);
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aLimitMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Budget("zero", 0, null))
			.withMessageContaining("zero");
	}

	@Test
	void manyThreadsReservingAndReleasingNeverPassTheLimitAndLeaveNothingInUse() throws Exception {
		Budget application = new Budget("application", 10_000, null);
		Budget[] endpoints = { new Budget("a", 6_000, application), new Budget("b", Budget.UNLIMITED, application) };
		int threads = 8;
		int rounds = 20_000;
		AtomicLong granted = new AtomicLong();
		AtomicLong overLimit = new AtomicLong();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CyclicBarrier start = new CyclicBarrier(threads);
		List<Future<?>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Budget budget = endpoints[t % 2];
			results.add(executor.submit(() -> {
				start.await();
				List<Long> held = new ArrayList<>();
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int i = 0; i < rounds; i++) {
					if (held.isEmpty() || random.nextBoolean()) {
						long amount = 1 + random.nextInt(900);
						if (budget.tryReserve(amount) == null) {
							held.add(amount);
							granted.incrementAndGet();
						}
					}
					else {
						budget.release(held.remove(held.size() - 1));
					}
					if (application.getInUse() > application.getLimit() || endpoints[0].getInUse() > 6_000) {
						overLimit.incrementAndGet();
					}
				}
				held.forEach(budget::release);
				return null;
			}));
		}
		for (Future<?> result : results) {
			result.get(60, TimeUnit.SECONDS);
		}
		executor.shutdown();
		assertThat(overLimit.get()).as("times a limit was seen passed").isZero();
		assertThat(application.getInUse()).isZero();
		assertThat(endpoints[0].getInUse()).isZero();
		assertThat(endpoints[1].getInUse()).isZero();
		assertThat(application.getPeak()).isLessThanOrEqualTo(10_000).isGreaterThan(9_000);
		assertThat(granted.get()).isGreaterThan(threads);
		assertThat(application.getRefusals() + endpoints[0].getRefusals()).as("some reservations were refused")
			.isPositive();
	}

}
