package dev.parley.ws;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAppointmentsTest {

	private static final long SECOND = 1_000_000_000L;

	/** The floor rate with its headroom: appointments one second can hold before any rate is measured. */
	private static final int PER_SECOND = (int) (RetryAppointments.RATE_FLOOR * RetryAppointments.HEADROOM);

	@Test
	void appointmentsFillOneSecondAtTheRateWithHeadroomThenTheNext() {
		RetryAppointments appointments = new RetryAppointments(0);
		assertThat(IntStream.range(0, PER_SECOND).map(i -> appointments.next(0, 0))).containsOnly(1);
		assertThat(appointments.next(0, 0)).isEqualTo(2);
	}

	@Test
	void thoseInFlightComeFirst() {
		RetryAppointments appointments = new RetryAppointments(0);
		assertThat(appointments.next(0, 1000)).isEqualTo((int) Math.ceil(1000 / RetryAppointments.RATE_FLOOR));
	}

	@Test
	void aSecondHoldsAsManyMoreAsTheInstanceLetInOverTheLastSecond() {
		RetryAppointments appointments = new RetryAppointments(0);
		IntStream.range(0, 1000).forEach(i -> appointments.admitted());
		long later = SECOND;
		assertThat(IntStream.range(0, 1500).map(i -> appointments.next(later, 0))).containsOnly(1);
		assertThat(appointments.next(later, 0)).isEqualTo(2);
	}

	@Test
	void appointmentsGoNoFurtherThanTheMaximumAhead() {
		RetryAppointments appointments = new RetryAppointments(0);
		int max = RetryAppointments.MAX_AHEAD_SECONDS;
		IntStream.range(0, PER_SECOND * max).forEach(i -> appointments.next(0, 0));
		assertThat(appointments.next(0, 0)).isEqualTo(max);
		assertThat(appointments.next(0, 1_000_000)).isEqualTo(max);
	}

	@Test
	void aSecondThatWentByIsFreeAgainAndTheClockMayBeNegative() {
		long start = -5 * SECOND - 1;
		RetryAppointments appointments = new RetryAppointments(start);
		IntStream.range(0, PER_SECOND).forEach(i -> appointments.next(start, 0));
		assertThat(appointments.next(start, 0)).isEqualTo(2);
		// a minute on, with nothing let in meanwhile: the ring was cleared, and the rate is the floor again
		assertThat(appointments.next(start + 60 * SECOND, 0)).isEqualTo(1);
	}

}
