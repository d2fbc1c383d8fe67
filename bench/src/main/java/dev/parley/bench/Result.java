package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One measured row, stored as one {@code key=value;...} line so that the report can read them back. */
final class Result {

	final Map<String, String> values = new LinkedHashMap<>();

	Result put(String key, Object value) {
		values.put(key, value instanceof Double d ? String.format(java.util.Locale.ROOT, "%.1f", d) : String.valueOf(value));
		return this;
	}

	String get(String key) {
		return values.getOrDefault(key, "");
	}

	double number(String key) {
		String value = values.get(key);
		return value == null || value.isEmpty() ? Double.NaN : Double.parseDouble(value);
	}

	void appendTo(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		StringBuilder line = new StringBuilder();
		values.forEach((k, v) -> line.append(k).append('=').append(v.replace(";", ",")).append(';'));
		Files.writeString(file, line.append('\n'), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	static List<Result> readAll(Path file) throws IOException {
		List<Result> results = new ArrayList<>();
		if (!Files.exists(file)) {
			return results;
		}
		for (String line : Files.readAllLines(file)) {
			Result result = new Result();
			for (String pair : line.split(";")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					result.values.put(pair.substring(0, eq), pair.substring(eq + 1));
				}
			}
			if (!result.values.isEmpty()) {
				results.add(result);
			}
		}
		return results;
	}

	@Override
	public String toString() {
		return values.toString();
	}

}
