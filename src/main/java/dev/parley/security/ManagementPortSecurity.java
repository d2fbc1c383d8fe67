package dev.parley.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The management port ({@code management.server.port}: health, probes, Prometheus) is open to
 * whoever reaches it, and kept off the network users reach: nginx does not publish it. Spring
 * Security's filter serves that port too, so its requests get a chain of their own, first, that
 * lets them through without a session; no chat rule needs an exception for them.
 */
@Configuration(proxyBeanMethods = false)
class ManagementPortSecurity {

	@Bean
	@Order(0)
	SecurityFilterChain managementFilterChain(HttpSecurity http, Environment environment) throws Exception {
		http.securityMatcher(new OnManagementPort(environment))
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.disable())
			// its endpoints only read (GET), and no browser session or cookie is used there
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

	/** A request that came in on the management port, when that port is not the chat's. */
	private record OnManagementPort(Environment environment) implements RequestMatcher {

		@Override
		public boolean matches(HttpServletRequest request) {
			if (ManagementPortType.get(environment) != ManagementPortType.DIFFERENT) {
				return false;
			}
			Integer port = environment.getProperty("local.management.port", Integer.class);
			return port != null && port > 0 && request.getLocalPort() == port
					&& !port.equals(environment.getProperty("local.server.port", Integer.class));
		}

	}

}
