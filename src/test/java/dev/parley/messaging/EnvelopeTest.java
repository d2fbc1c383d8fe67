package dev.parley.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EnvelopeTest {

	@Test
	void aDeliveryRoundTripsWithItsExclusionAndABodyContainingNewlines() {
		Envelope envelope = Envelope.decode(Envelope.deliver("ann", "{\"text\":\"a\\nb\"}\nmore"));
		assertThat(envelope.kind()).isEqualTo(Envelope.DELIVER);
		assertThat(envelope.arg()).isEqualTo("ann");
		assertThat(envelope.body()).isEqualTo("{\"text\":\"a\\nb\"}\nmore");
	}

	@Test
	void aDeliveryToEveryoneHasAnEmptyExclusion() {
		assertThat(Envelope.decode(Envelope.deliver(null, "{}")).arg()).isEmpty();
	}

	@Test
	void controlEnvelopesRoundTrip() {
		Envelope left = new Envelope(Envelope.LEFT, "lobby", "{\"type\":\"kicked\"}");
		assertThat(Envelope.decode(left.encode())).isEqualTo(left);
	}

	@Test
	void somethingElseIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Envelope.decode("no newline"));
		assertThatIllegalArgumentException().isThrownBy(() -> Envelope.decode(""));
	}

}
