package dev.parley.bot;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import dev.parley.user.User;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BotRepliesTest {

	private static final User ALICE = User.member("alice", "Alice");

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T16:05:30Z"), ZoneOffset.UTC);

	/** Always the highest face: nextInt(n) returns n - 1. */
	private final RandomGenerator highest = new RandomGenerator() {
		@Override
		public long nextLong() {
			return 0;
		}

		@Override
		public int nextInt(int bound) {
			return bound - 1;
		}
	};

	private List<User> online = List.of();

	private final BotReplies replies = new BotReplies("parley-bot", room -> online, clock, highest);

	@Test
	void aBareMentionOrHelpListsTheCommandsToTheAsker() {
		assertThat(replies.reply("lobby", ALICE, "")).startsWith("@alice I answer when mentioned: help; who");
		assertThat(replies.reply("lobby", ALICE, " HELP ")).isEqualTo(replies.reply("lobby", ALICE, ""));
		assertThat(replies.reply("lobby", ALICE, ", help")).isEqualTo(replies.reply("lobby", ALICE, ""));
	}

	@Test
	void whoListsTheOnlineMembersByNameSortedAndCapped() {
		online = List.of(User.member("bob", "Bob"), ALICE);
		assertThat(replies.reply("lobby", ALICE, ": who")).isEqualTo("@alice online in this room: Alice, Bob.");
		online = IntStream.range(0, BotReplies.MAX_NAMES + 3).mapToObj(i -> User.guest("g" + i, "G" + (100 + i))).toList();
		assertThat(replies.reply("lobby", ALICE, "who")).startsWith("@alice online in this room: G100, G101")
			.endsWith("G119 and 3 more.");
		online = List.of();
		assertThat(replies.reply("lobby", ALICE, "who")).isEqualTo("@alice nobody is online in this room.");
	}

	@Test
	void timeIsTheServersClockInUtc() {
		assertThat(replies.reply("lobby", ALICE, "time please")).isEqualTo("@alice it is 2026-11-24 16:05 UTC.");
	}

	@Test
	void rollDrawsFromOneToTheSidesAskedForSixUnlessGiven() {
		assertThat(replies.reply("lobby", ALICE, "roll")).isEqualTo("@alice rolled 6 (1 to 6).");
		assertThat(replies.reply("lobby", ALICE, "roll 20")).isEqualTo("@alice rolled 20 (1 to 20).");
		assertThat(replies.reply("lobby", ALICE, "roll 1")).isEqualTo("@alice roll takes a whole number from 2 to 1000000.");
		assertThat(replies.reply("lobby", ALICE, "roll lots")).contains("roll takes a whole number");
		assertThat(replies.reply("lobby", ALICE, "roll 99999999999")).contains("roll takes a whole number");
	}

	@Test
	void anUnknownCommandIsQuotedShortAndPointsToHelp() {
		assertThat(replies.reply("lobby", ALICE, "dance now")).isEqualTo("@alice I don't know \"dance\". Try @parley-bot help.");
		assertThat(replies.reply("lobby", ALICE, "x".repeat(50))).contains("\"" + "x".repeat(20) + "…\"");
	}

}
