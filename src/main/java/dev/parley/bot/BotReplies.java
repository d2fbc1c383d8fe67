package dev.parley.bot;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import dev.parley.user.User;

/** What the bot says to a mention: the words after {@code @bot} are a command, the reply plain text. */
class BotReplies {

	static final int MAX_NAMES = 20;

	static final int MAX_SIDES = 1_000_000;

	/** "@bot, who" and "@bot: who" ask the same as "@bot who". */
	private static final Pattern LEADING_PUNCTUATION = Pattern.compile("^[\\s,:;!]+");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final String botId;

	private final Function<String, List<User>> onlineMembers;

	private final Clock clock;

	private final RandomGenerator random;

	BotReplies(String botId, Function<String, List<User>> onlineMembers, Clock clock, RandomGenerator random) {
		this.botId = botId;
		this.onlineMembers = onlineMembers;
		this.clock = clock;
		this.random = random;
	}

	String reply(String room, User from, String command) {
		String[] words = LEADING_PUNCTUATION.matcher(command).replaceFirst("").strip().split("\\s+", 2);
		String verb = words[0].toLowerCase(Locale.ROOT);
		String argument = words.length > 1 ? words[1].strip() : "";
		String to = "@" + from.id() + " ";
		return to + switch (verb) {
			case "", "help" -> help();
			case "who" -> who(room);
			case "time" -> "it is " + TIME.format(clock.instant()) + ".";
			case "roll" -> roll(argument);
			default -> "I don't know \"" + shortened(words[0]) + "\". Try @" + botId + " help.";
		};
	}

	private static String help() {
		return "I answer when mentioned: help; who (who is online in this room); time (the server's clock, "
				+ "UTC); roll [N] (a number from 1 to N, 6 unless given).";
	}

	private String who(String room) {
		List<String> names = onlineMembers.apply(room).stream().map(User::name).sorted().toList();
		if (names.isEmpty()) {
			return "nobody is online in this room.";
		}
		String listed = String.join(", ", names.subList(0, Math.min(MAX_NAMES, names.size())));
		int more = names.size() - MAX_NAMES;
		return "online in this room: " + listed + (more > 0 ? " and " + more + " more." : ".");
	}

	private String roll(String argument) {
		int sides = 6;
		if (!argument.isEmpty()) {
			try {
				sides = Integer.parseInt(argument);
			}
			catch (NumberFormatException ex) {
				sides = 0;
			}
		}
		if (sides < 2 || sides > MAX_SIDES) {
			return "roll takes a whole number from 2 to " + MAX_SIDES + ".";
		}
		return "rolled " + (1 + random.nextInt(sides)) + " (1 to " + sides + ").";
	}

	private static String shortened(String word) {
		return word.length() <= 20 ? word : word.substring(0, 20) + "…";
	}

}
