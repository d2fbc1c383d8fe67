package dev.parley.history;

/**
 * A Redis stream id, {@code <epoch ms>-<sequence>}, ordered as Redis orders them: by the two
 * numbers, not by the string.
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {

	/** After every id of its millisecond: a cursor placed at a moment, from which only later messages count. */
	public static StreamId endOf(long millis) {
		return new StreamId(millis, -1L);
	}

	/** Null when {@code id} is not a stream id. */
	public static StreamId parse(String id) {
		if (!MessageFormat.isValidId(id)) {
			return null;
		}
		int dash = id.indexOf('-');
		try {
			return new StreamId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	public boolean isAfter(StreamId other) {
		return compareTo(other) > 0;
	}

	@Override
	public int compareTo(StreamId other) {
		int byMillis = Long.compare(millis, other.millis);
		return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
	}

	/** As Redis writes it; the sequence of {@link #endOf} is Redis's largest, 2^64 - 1. */
	@Override
	public String toString() {
		return millis + "-" + Long.toUnsignedString(sequence);
	}

}
