package dev.parley.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisScriptsTest {

	@Test
	void everyScriptCarriesTheTextAndDigestOfItsFile() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("src/main/resources/redis"))) {
			assertThat(files.filter(file -> file.toString().endsWith(".lua"))).isNotEmpty().allSatisfy(file -> {
				String name = file.getFileName().toString().replace(".lua", "");
				String text = readString(file);
				RedisScript<Long> script = RedisScripts.load(name, Long.class);
				assertThat(script.getScriptAsString()).isEqualTo(text);
				assertThat(script.getSha1()).isEqualTo(sha1(text));
			});
		}
	}

	@Test
	void aScriptThatIsNotThereFailsAtOnce() {
		assertThatThrownBy(() -> RedisScripts.load("no-such-script", Long.class))
			.isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("no-such-script.lua");
	}

	private static String readString(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String sha1(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
			StringBuilder hex = new StringBuilder();
			for (byte b : digest) {
				hex.append(String.format("%02x", b));
			}
			return hex.toString();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
