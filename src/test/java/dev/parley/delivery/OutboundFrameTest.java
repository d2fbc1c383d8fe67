package dev.parley.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundFrameTest {

	@Test
	void aShortTextIsOneFinalTextFrameWithItsLengthInline() {
		ByteBuffer wire = new OutboundFrame("{\"a\":1}").wire(65536);

		assertThat(wire.get(0)).isEqualTo((byte) 0x81);
		assertThat(wire.get(1)).isEqualTo((byte) 7);
		assertThat(wire.remaining()).isEqualTo(2 + 7);
	}

	@Test
	void lengthsFrom126To65535TakeSixteenBitsAndLongerOnesSixtyFour() {
		assertThat(header(125)).containsExactly(0x81, 125);
		assertThat(header(126)).containsExactly(0x81, 126, 0, 126);
		assertThat(header(65535)).containsExactly(0x81, 126, 0xFF, 0xFF);
		assertThat(header(65536)).containsExactly(0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0);
	}

	@Test
	void aTextLongerThanTheFragmentSizeIsATextFragmentThenContinuationsTheLastOneFinal() {
		byte[] payload = "x".repeat(250).getBytes(StandardCharsets.UTF_8);
		ByteBuffer wire = OutboundFrame.encode(payload, 100);

		assertThat(wire.remaining()).isEqualTo(250 + 3 * 2);
		assertThat(new int[] { wire.get(0) & 0xFF, wire.get(1) }).containsExactly(0x01, 100);
		assertThat(new int[] { wire.get(102) & 0xFF, wire.get(103) }).containsExactly(0x00, 100);
		assertThat(new int[] { wire.get(204) & 0xFF, wire.get(205) }).containsExactly(0x80, 50);
	}

	@Test
	void everyWriteGetsItsOwnViewOfTheSameBytes() {
		OutboundFrame frame = new OutboundFrame("{}");
		ByteBuffer first = frame.wire(65536);
		first.get();

		assertThat(frame.wire(65536).position()).isZero();
		assertThat(frame.wire(65536).remaining()).isEqualTo(4);
	}

	private static int[] header(int length) {
		ByteBuffer wire = OutboundFrame.encode(new byte[length], 1 << 20);
		int size = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
		int[] header = new int[size];
		for (int i = 0; i < size; i++) {
			header[i] = wire.get(i) & 0xFF;
		}
		return header;
	}

}
