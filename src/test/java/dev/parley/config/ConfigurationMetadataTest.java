package dev.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code parley.*} setting is described where people look for it: in the configuration
 * metadata the build makes from {@link ParleyProperties}' Javadoc (an IDE shows it), and in the
 * README's table.
 */
class ConfigurationMetadataTest {

	@Test
	void everySettingHasADescriptionInTheMetadataAndARowInTheReadme() throws IOException {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("made by spring-boot-configuration-processor").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> settings = new ArrayList<>();
		metadata.path("properties").forEach(property -> {
			String name = property.path("name").asString();
			if (name.startsWith("parley.")) {
				settings.add(name);
				assertThat(property.path("description").asString()).as(name).isNotBlank();
			}
		});
		assertThat(settings).hasSizeGreaterThan(60);

		String readme = Files.readString(Path.of("README.md"));
		List<String> rows = new ArrayList<>();
		Matcher row = Pattern.compile("(?m)^\\| `(parley\\.[a-z0-9.-]+)`(?: / `\\.([a-z0-9-]+)`)? \\|").matcher(readme);
		while (row.find()) {
			rows.add(row.group(1));
			if (row.group(2) != null) {
				rows.add(row.group(1).substring(0, row.group(1).lastIndexOf('.') + 1) + row.group(2));
			}
		}
		assertThat(rows).containsExactlyInAnyOrderElementsOf(settings);
	}

}
