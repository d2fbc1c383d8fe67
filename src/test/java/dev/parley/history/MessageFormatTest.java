package dev.parley.history;

import dev.parley.user.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFormatTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private final MessageFormat format = new MessageFormat(json);

	@Test
	void assemblesAValidMessageWhoseTimestampIsTheIdsTime() {
		String tail = format.roomTail(User.member("ann", "Ann \"A\""), "quote \" backslash \\ newline \n <b>");
		JsonNode message = json.readTree(MessageFormat.assemble(MessageFormat.roomHead("lobby"), "1700000000123-4", tail));

		assertThat(message.path("type").asString()).isEqualTo("message");
		assertThat(message.path("room").asString()).isEqualTo("lobby");
		assertThat(message.path("id").asString()).isEqualTo("1700000000123-4");
		assertThat(message.path("from").path("name").asString()).isEqualTo("Ann \"A\"");
		assertThat(message.path("text").asString()).isEqualTo("quote \" backslash \\ newline \n <b>");
		assertThat(message.path("ts").asLong()).isEqualTo(1700000000123L);
	}

	@Test
	void assemblesAPrivateMessage() {
		String tail = format.privateTail(User.guest("bo", "Bo"), User.member("ann", "Ann"), "hi");
		JsonNode message = json.readTree(MessageFormat.assemble(MessageFormat.privateHead(), "5-0", tail));
		assertThat(message.path("type").asString()).isEqualTo("private");
		assertThat(message.path("from").path("guest").asBoolean()).isTrue();
		assertThat(message.path("to").path("id").asString()).isEqualTo("ann");
	}

	@Test
	void onlyStreamIdsAreIds() {
		assertThat(MessageFormat.isValidId("1700000000123-0")).isTrue();
		assertThat(MessageFormat.isValidId("1700000000123")).isFalse();
		assertThat(MessageFormat.isValidId("a-b")).isFalse();
		assertThat(MessageFormat.isValidId("1-2-3")).isFalse();
		assertThat(MessageFormat.isValidId(null)).isFalse();
	}

}
