package dev.parley.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --key value} arguments with defaults. */
final class Options {

	private final Map<String, String> values = new HashMap<>();

	Options(String[] args) {
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("expected --option, got " + args[i]);
			}
			String key = args[i].substring(2);
			boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
			values.put(key, flag ? "true" : args[++i]);
		}
	}

	String string(String key, String fallback) {
		return values.getOrDefault(key, fallback);
	}

	int integer(String key, int fallback) {
		return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
	}

	double decimal(String key, double fallback) {
		return values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
	}

	boolean flag(String key) {
		return Boolean.parseBoolean(values.getOrDefault(key, "false"));
	}

	Duration duration(String key, Duration fallback) {
		String value = values.get(key);
		if (value == null) {
			return fallback;
		}
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		return Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
	}

}
