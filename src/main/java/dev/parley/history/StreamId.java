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

	/**
	 * Null when {@code id} is not a stream id ({@link MessageFormat#isValidId}'s shape). Scanned by
	 * hand, not matched: the hub reads the id of every stored message it delivers.
	 */
	public static StreamId parse(String id) {
		int dash = id == null ? -1 : id.indexOf('-');
		if (!digits(id, 0, dash) || !digits(id, dash + 1, id.length())) {
			return null;
		}
		try {
			return new StreamId(Long.parseLong(id, 0, dash, 10), Long.parseLong(id, dash + 1, id.length(), 10));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** One to 19 ASCII digits from {@code from} to {@code to}. */
	private static boolean digits(String text, int from, int to) {
		if (from < 0 || to - from < 1 || to - from > 19) {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
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
