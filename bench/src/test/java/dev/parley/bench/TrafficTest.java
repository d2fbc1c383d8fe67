package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the load generator reads the server's error frames. */
class TrafficTest {

	private static final byte[] NO_ROOM = "{\"type\":\"error\",\"code\":\"not_found\",\"message\":\"no room bench-0\"}"
		.getBytes(StandardCharsets.US_ASCII);

	private final Stats stats = new Stats();

	private final Traffic traffic = new Traffic(stats, 0);

	@Test
	void anErrorAnsweringAJoinFailsThatJoinWithTheServersWordsInsteadOfLeavingItWaiting() {
		Traffic.Peer peer = new Traffic.Peer("token");
		peer.joinSent = true;

		traffic.onText(peer, NO_ROOM, NO_ROOM.length, System.nanoTime());

		assertThat(peer.joined).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
			.withMessageContaining("no room bench-0");
		assertThat(stats.errors.sum()).isZero();
	}

	@Test
	void anErrorOnAConnectionWithNoJoinPendingIsCountedAsAnError() {
		Traffic.Peer peer = new Traffic.Peer("token");

		traffic.onText(peer, NO_ROOM, NO_ROOM.length, System.nanoTime());

		assertThat(peer.joined).isNotDone();
		assertThat(stats.errors.sum()).isEqualTo(1);
	}

	@Test
	void anErrorAnsweringAMessageCountsOnlyWhenThatMessageWasSentInsideTheWindow() {
		Traffic.Peer peer = new Traffic.Peer("token");
		long windowStart = System.nanoTime();
		stats.open(windowStart, windowStart + 1_000_000_000L);

		traffic.onText(peer, busy(windowStart - 1), busy(windowStart - 1).length, windowStart + 10);
		traffic.onText(peer, busy(windowStart + 5), busy(windowStart + 5).length, windowStart + 10);

		assertThat(stats.errors.sum()).isEqualTo(1);
	}

	private static byte[] busy(long sent) {
		return ("{\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"the server is busy, try again\",\"ref\":\"b"
				+ sent + "\"}").getBytes(StandardCharsets.US_ASCII);
	}

}
