package dev.parley.push;

import dev.parley.config.ParleyProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** Push keys as configured: the listed ones work, nothing else does, and weak ones stop the start. */
class PushKeysTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(Keys.class);

	@Test
	void onlyConfiguredKeysAreAccepted() {
		context.withPropertyValues("parley.push.keys=alpha-key-0123456789, beta-key-0123456789").run(run -> {
			PushKeys keys = run.getBean(PushKeys.class);
			assertThat(keys.accepts("alpha-key-0123456789")).isTrue();
			assertThat(keys.accepts("beta-key-0123456789")).isTrue();
			assertThat(keys.accepts("alpha-key-012345678")).isFalse();
			assertThat(keys.accepts("ALPHA-KEY-0123456789")).isFalse();
			assertThat(keys.accepts("")).isFalse();
			assertThat(keys.accepts(null)).isFalse();
		});
	}

	@Test
	void anEmptySettingAcceptsNoKeyAtAll() {
		context.withPropertyValues("parley.push.keys=").run(run -> {
			assertThat(run).hasNotFailed();
			assertThat(run.getBean(PushKeys.class).accepts("")).isFalse();
			assertThat(run.getBean(PushKeys.class).accepts("anything-at-all-0123456789")).isFalse();
		});
	}

	@Test
	void aShortKeyStopsTheStartWithTheReason() {
		context.withPropertyValues("parley.push.keys=secret").run(run -> {
			assertThat(run).hasFailed();
			assertThat(run.getStartupFailure()).rootCause().hasMessageContaining("at least 16 characters");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ParleyProperties.class)
	@Import(PushKeys.class)
	static class Keys {

	}

}
