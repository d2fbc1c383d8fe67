package dev.parley.config;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies are bounded by the app itself, not only by nginx in front of it: an instance
 * reached directly must not give its few Jetty threads to bodies that trickle in, nor its memory to
 * bodies of any size. Past {@code parley.limits.request-body} bytes a request gets {@code 413}
 * (at once when its length is declared); a body that arrives slower than
 * {@code parley.limits.min-body-rate} bytes a second gets {@code 408}, and its thread is free again.
 */
@Configuration(proxyBeanMethods = false)
class RequestLimits {

	@Bean
	JettyServerCustomizer requestBodyLimits(ParleyProperties properties) {
		ParleyProperties.Limits limits = properties.limits();
		return server -> {
			for (Connector connector : server.getConnectors()) {
				HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
				if (http != null) {
					http.getHttpConfiguration().setMinRequestDataRate(limits.minBodyRate());
				}
			}
			SizeLimitHandler sizeLimit = new SizeLimitHandler(limits.requestBody(), -1);
			sizeLimit.setHandler(server.getHandler());
			server.setHandler(sizeLimit);
		};
	}

}
