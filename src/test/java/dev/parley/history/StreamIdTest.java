package dev.parley.history;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamIdTest {

	@Test
	void idsCompareByTheirNumbersNotAsStrings() {
		assertThat(StreamId.parse("10-0")).isGreaterThan(StreamId.parse("9-5"));
		assertThat(StreamId.parse("10-10")).isGreaterThan(StreamId.parse("10-9"));
		assertThat(StreamId.parse("10-2").isAfter(StreamId.parse("10-2"))).isFalse();
	}

	@Test
	void theEndOfAMillisecondComesAfterEveryIdInItAndReadsAsRedisWritesIt() {
		StreamId end = StreamId.endOf(10);
		assertThat(end).isGreaterThan(StreamId.parse("10-9223372036854775807"));
		assertThat(end).isLessThan(StreamId.parse("11-0"));
		assertThat(end).hasToString("10-18446744073709551615");
	}

	@Test
	void whatIsNotAStreamIdParsesToNull() {
		assertThat(StreamId.parse("10")).isNull();
		assertThat(StreamId.parse("a-1")).isNull();
		assertThat(StreamId.parse(null)).isNull();
		assertThat(StreamId.parse("10-")).isNull();
		assertThat(StreamId.parse("-1")).isNull();
		assertThat(StreamId.parse("1-2-3")).isNull();
		assertThat(StreamId.parse("1-+2")).isNull();
		assertThat(StreamId.parse("12345678901234567890-1")).as("20 digits").isNull();
		assertThat(StreamId.parse("1796159157875-12")).isEqualTo(new StreamId(1796159157875L, 12));
	}

}
