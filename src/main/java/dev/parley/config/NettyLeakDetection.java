package dev.parley.config;

import java.util.Arrays;
import java.util.Locale;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Turns Netty's buffer leak detector off unless {@code io.netty.leakDetection.level} is set (as a
 * system property or in the application's properties). Netty is here only as Lettuce's transport,
 * and Parley allocates none of its buffers; at its default level the detector records a stack
 * trace for a sample of Lettuce's buffers, 1.5 % of the JVM's CPU in a profile of private messages
 * at 9,000 a second (bench/notes.md).
 */
@Configuration(proxyBeanMethods = false)
class NettyLeakDetection {

	static final String LEVEL = "io.netty.leakDetection.level";

	NettyLeakDetection(Environment environment) {
		String level = environment.getProperty(LEVEL);
		ResourceLeakDetector.setLevel(level == null ? Level.DISABLED : parse(level));
	}

	private static Level parse(String level) {
		try {
			return Level.valueOf(level.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(LEVEL + " must be one of "
					+ Arrays.toString(Level.values()).toLowerCase(Locale.ROOT) + ", not '" + level + "'", ex);
		}
	}

}
