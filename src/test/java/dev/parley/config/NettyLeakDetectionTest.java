package dev.parley.config;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class NettyLeakDetectionTest {

	private final Level before = ResourceLeakDetector.getLevel();

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(NettyLeakDetection.class);

	@AfterEach
	void restore() {
		ResourceLeakDetector.setLevel(before);
	}

	@Test
	void theDetectorIsOffByDefault() {
		ResourceLeakDetector.setLevel(Level.SIMPLE);
		context.run(started -> assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.DISABLED));
	}

	@Test
	void aLevelSetInThePropertiesIsKept() {
		context.withPropertyValues(NettyLeakDetection.LEVEL + "=paranoid")
			.run(started -> assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.PARANOID));
	}

	@Test
	void anUnknownLevelStopsTheStartWithTheLevelsThereAre() {
		context.withPropertyValues(NettyLeakDetection.LEVEL + "=loud")
			.run(started -> assertThat(started).getFailure()
				.hasStackTraceContaining("must be one of [disabled, simple, advanced, paranoid], not 'loud'"));
	}

}
