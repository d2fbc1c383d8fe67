package dev.parley.config;

import org.eclipse.jetty.server.handler.SizeLimitHandler;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies are bounded by the app itself, not only by nginx in front of it: an instance
 * reached directly must not give its few Jetty threads to bodies that trickle in, nor its memory to
 * bodies of any size. Past {@code parley.limits.request-body} bytes a request gets {@code 413}
 * (at once when its length is declared); a body is read whole before the application runs, with no
 * thread waiting on it ({@link BufferedBodies}), and one not complete within
 * {@code parley.limits.body-timeout} gets {@code 408}.
 */
@Configuration(proxyBeanMethods = false)
class RequestLimits {

	@Bean
	JettyServerCustomizer requestBodyLimits(ParleyProperties properties) {
		ParleyProperties.Limits limits = properties.limits();
		BufferedBodies.Limit requests = new BufferedBodies.Limit(limits.requestBody(), limits.bodyTimeout());
		BufferedBodies.Limit uploads = new BufferedBodies.Limit(properties.files().uploadBodyLimit(),
				properties.files().uploadTimeout());
		return server -> {
			// a backstop past what BufferedBodies reads of a body over its limit, so that it answers those itself
			SizeLimitHandler sizeLimit = new SizeLimitHandler(
					Math.max(requests.bytes(), uploads.bytes()) + BufferedBodies.MAX_DISCARDED, -1);
			sizeLimit.setHandler(new BufferedBodies(server.getHandler(), requests, uploads));
			server.setHandler(sizeLimit);
		};
	}

}
