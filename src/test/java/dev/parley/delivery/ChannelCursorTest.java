package dev.parley.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.parley.delivery.ChannelCursor.Missed;
import dev.parley.history.StreamId;
import dev.parley.messaging.Envelope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelCursorTest {

	private final ChannelCursor cursor = new ChannelCursor(CompletableFuture.completedFuture(null));

	private final List<String> delivered = new ArrayList<>();

	@Test
	void theCursorStandsAtTheLastStoredMessageDeliveredNotAtOtherFrames() {
		cursor.startAt(StreamId.endOf(5));
		pass(message("7-0"));
		pass("{\"type\":\"typing\",\"room\":\"lobby\"}");
		assertThat(cursor.interrupted()).isEqualTo(StreamId.parse("7-0"));
	}

	@Test
	void aLiveMessageBeforeTheFirstPositionKeepsItsOwn() {
		pass(message("7-0"));
		cursor.startAt(StreamId.endOf(5));
		assertThat(cursor.interrupted()).isEqualTo(StreamId.parse("7-0"));
	}

	@Test
	void whileInterruptedLiveFramesWaitAndFollowTheMissedOnesWithoutTheOnesReplayed() {
		cursor.startAt(StreamId.endOf(5));
		cursor.interrupted();
		pass(message("9-0"));
		pass("{\"type\":\"typing\",\"room\":\"lobby\"}");
		pass(message("10-0"));
		assertThat(delivered).isEmpty();

		cursor.recovered(List.of(new Missed(message("8-0"), ""), new Missed(message("9-0"), "")),
				missed -> delivered.add(missed.json()), envelope -> delivered.add(envelope.body()));

		assertThat(delivered).containsExactly(message("8-0"), message("9-0"), "{\"type\":\"typing\",\"room\":\"lobby\"}",
				message("10-0"));
		pass(message("11-0"));
		assertThat(delivered).hasSize(5);
		assertThat(cursor.interrupted()).isEqualTo(StreamId.parse("11-0"));
	}

	@Test
	void aLiveFrameArrivingAfterTheReplayThatDeliveredItIsLeftOut() {
		cursor.startAt(StreamId.endOf(5));
		cursor.interrupted();
		cursor.recovered(List.of(new Missed(message("8-0"), "")), missed -> delivered.add(missed.json()),
				envelope -> delivered.add(envelope.body()));

		// published before the stream was read, received on the pub/sub connection after the reply
		pass(message("8-0"));
		pass(message("9-0"));

		assertThat(delivered).containsExactly(message("8-0"), message("9-0"));
	}

	@Test
	void privateMessageIdsAreReadToo() {
		assertThat(ChannelCursor.storedId("{\"type\":\"private\",\"id\":\"12-3\",\"from\":{}}"))
			.isEqualTo(StreamId.parse("12-3"));
		assertThat(ChannelCursor.storedId(message("12-4"))).isEqualTo(StreamId.parse("12-4"));
		assertThat(ChannelCursor.storedId("{\"type\":\"system\",\"text\":\"\\\",\\\"id\\\":\\\"1-1\"}")).isNull();
	}

	private void pass(String json) {
		cursor.pass(new Envelope(Envelope.DELIVER, "", json), envelope -> delivered.add(envelope.body()));
	}

	private static String message(String id) {
		return "{\"type\":\"message\",\"room\":\"lobby\",\"id\":\"" + id + "\",\"from\":{\"id\":\"ann\"},\"text\":\"hi\",\"ts\":1}";
	}

}
