package dev.parley.security;

import java.io.IOException;
import java.util.UUID;

import dev.parley.admin.AdminAccount;
import dev.parley.config.ParleyProperties;
import dev.parley.push.PushKeyStore;
import dev.parley.push.PushKeys;
import dev.parley.user.UserService;
import dev.parley.ws.LogoutClosesConnections;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AnonymousConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.annotation.web.configurers.LogoutConfigurer;
import org.springframework.security.config.annotation.web.configurers.RequestCacheConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.rememberme.PersistentTokenBasedRememberMeServices;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Pages use form login with CSRF and remember-me; {@code /api/**} takes the browser's session or
 * a bearer token ({@link BearerTokenFilter}), needs no CSRF token and answers 401 instead of
 * redirecting, as do the shared files under {@code /files/**}; {@code /api/push} takes push keys only; {@code /admin} has a login of its own;
 * {@code /ws} authenticates in its handshake, behind a chain of its own. Forwarded headers count only
 * from trusted proxies.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

	/**
	 * Pages load scripts, styles and images from Parley only and connect only back to it (its
	 * WebSocket included): a piece of user text that ever reached the page as markup could run nothing.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	/** The session attribute holding the admin console's login, apart from the chat login's. */
	static final String ADMIN_CONTEXT = "PARLEY_ADMIN_SECURITY_CONTEXT";

	@Bean
	PasswordEncoder passwordEncoder() {
		return new BCryptPasswordEncoder();
	}

	/** First of all filters: the session cookie's Secure flag and every check of the request's origin depend on it. */
	@Bean
	FilterRegistrationBean<TrustedProxyFilter> trustedProxyFilter(ParleyProperties properties) {
		FilterRegistrationBean<TrustedProxyFilter> registration = new FilterRegistrationBean<>(
				new TrustedProxyFilter(properties.proxy()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * SameSite=Lax on every cookie, not only on the session's ({@code server.servlet.session.cookie.same-site}):
	 * the remember-me cookie lasts 30 days and logs its holder in.
	 */
	@Bean
	CookieSameSiteSupplier sameSiteLaxCookies() {
		return CookieSameSiteSupplier.ofLax();
	}

	/** Right after the proxy filter, which makes the client's address the one counted. */
	@Bean
	FilterRegistrationBean<RequestThrottle> requestThrottle(StringRedisTemplate redis, ParleyProperties properties) {
		FilterRegistrationBean<RequestThrottle> registration = new FilterRegistrationBean<>(
				new RequestThrottle(redis, properties.throttle()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	@Bean
	SecurityContextRepository securityContextRepository() {
		return new HttpSessionSecurityContextRepository();
	}

	@Bean
	PersistentTokenBasedRememberMeServices rememberMeServices(RedisUserDetailsService userDetails,
			RedisRememberMeTokenRepository tokens, ParleyProperties properties) {
		PersistentTokenBasedRememberMeServices services = new PersistentTokenBasedRememberMeServices(
				UUID.randomUUID().toString(), userDetails, tokens);
		services.setTokenValiditySeconds((int) properties.auth().rememberMe().toSeconds());
		services.setParameter("remember-me");
		return services;
	}

	/**
	 * The push API: a push key on every call (from {@code parley.push.keys} or made in the admin
	 * console), no session, no CSRF (no cookies are involved).
	 */
	@Bean
	@Order(1)
	SecurityFilterChain pushApiFilterChain(HttpSecurity http, PushKeys keys, PushKeyStore consoleKeys) throws Exception {
		http.securityMatcher("/api/push")
			.authorizeHttpRequests(requests -> requests.anyRequest().hasRole(PushKeyFilter.ROLE))
			.addFilterBefore(new PushKeyFilter(key -> keys.accepts(key) || consoleKeys.accepts(key)), AuthorizationFilter.class)
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(RequestCacheConfigurer::disable)
			.csrf(CsrfConfigurer::disable)
			.exceptionHandling(errors -> errors.authenticationEntryPoint(SecurityConfig::pushKeyRequired));
		return http.build();
	}

	private static void pushKeyRequired(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ex) throws IOException {
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getWriter().write("{\"error\":\"a valid push API key is required\"}");
	}

	/**
	 * {@code /ws} authenticates in its handshake ({@code HandshakeAuthenticator}): of the chat's
	 * chain it needs only the browser session's login (or the remembered one), read into the request's
	 * principal. Without the rest (CSRF tokens, the request cache, logout, anonymous users, access
	 * rules), each handshake of a reconnect storm passes half as many filters. The Origin check
	 * stands in for CSRF.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain webSocketFilterChain(HttpSecurity http, PersistentTokenBasedRememberMeServices rememberMe,
			SecurityContextRepository contexts) throws Exception {
		http.securityMatcher("/ws")
			.securityContext(context -> context.securityContextRepository(contexts))
			.rememberMe(remember -> remember.rememberMeServices(rememberMe))
			.csrf(CsrfConfigurer::disable)
			.requestCache(RequestCacheConfigurer::disable)
			.logout(LogoutConfigurer::disable)
			.anonymous(AnonymousConfigurer::disable)
			.exceptionHandling(ExceptionHandlingConfigurer::disable);
		return http.build();
	}

	/**
	 * The admin console: its own login and its own place in the session, so an admin and a chat
	 * user can be logged in side by side in one browser and neither login counts for the other.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain adminFilterChain(HttpSecurity http, AdminAccount admin, LoginThrottle throttle) throws Exception {
		HttpSessionSecurityContextRepository adminContexts = new HttpSessionSecurityContextRepository();
		adminContexts.setSpringSecurityContextKey(ADMIN_CONTEXT);
		ThrottledFormLogin login = new ThrottledFormLogin(throttle, "admin", "/admin/login");
		http.securityMatcher("/admin", "/admin/**")
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
			.addFilterBefore(login.lockedLoginsFilter(), UsernamePasswordAuthenticationFilter.class)
			.addFilterBefore(new RemovedConsoleAccounts(admin, ADMIN_CONTEXT), AuthorizationFilter.class)
			.authorizeHttpRequests(requests -> requests.requestMatchers("/admin/login")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/admin", "/admin/stats", "/admin/stats/history", "/admin/people",
						"/admin/people/*", "/admin/audit", "/admin/rooms", "/admin/rooms/*", "/admin/moderation")
				.hasAnyRole(AdminAccount.ROLE, AdminAccount.MODERATOR_ROLE)
				.requestMatchers(HttpMethod.POST, "/admin/kick", "/admin/ban", "/admin/unban", "/admin/mute",
						"/admin/unmute", "/admin/rooms/*/messages/*/delete", "/admin/rooms/*/members/*/remove",
						"/admin/logout")
				.hasAnyRole(AdminAccount.ROLE, AdminAccount.MODERATOR_ROLE)
				.anyRequest()
				.hasRole(AdminAccount.ROLE))
			.authenticationManager(admin.authenticationManager())
			.securityContext(context -> context.securityContextRepository(adminContexts))
			.formLogin(form -> form.loginPage("/admin/login")
				.successHandler(login.successHandler((request, response) -> "/admin"))
				.failureHandler(login.failureHandler())
				.permitAll())
			.logout(logout -> logout.logoutUrl("/admin/logout")
				.logoutSuccessUrl("/admin/login?logout")
				.invalidateHttpSession(false));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain securityFilterChain(HttpSecurity http, PersistentTokenBasedRememberMeServices rememberMe,
			SecurityContextRepository contexts, LoginThrottle throttle, TokenService tokens, UserService users,
			LogoutClosesConnections connections) throws Exception {
		ThrottledFormLogin login = new ThrottledFormLogin(throttle, "chat", "/login");
		http.addFilterBefore(login.lockedLoginsFilter(), UsernamePasswordAuthenticationFilter.class)
			.addFilterBefore(new BearerTokenFilter(tokens, users), AuthorizationFilter.class)
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
			.authorizeHttpRequests(requests -> requests
			.requestMatchers("/login", "/register", "/guest", "/css/**", "/js/**", "/webjars/**", "/favicon.svg", "/favicon.ico",
					"/error", "/livez", "/readyz", "/actuator/health", "/actuator/health/**", "/api/auth/**")
			.permitAll()
			.requestMatchers(HttpMethod.POST, "/api/users")
			.permitAll()
			.anyRequest()
			.authenticated())
			.securityContext(context -> context.securityContextRepository(contexts))
			.formLogin(form -> form.loginPage("/login")
				.successHandler(login.successHandler(LandingPage::path))
				.failureHandler(login.failureHandler())
				.permitAll())
			.rememberMe(remember -> remember.rememberMeServices(rememberMe))
			.logout(logout -> logout.logoutSuccessUrl("/login?logout").addLogoutHandler(connections))
			.csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
			.exceptionHandling(errors -> errors
				.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
						PathPatternRequestMatcher.withDefaults().matcher("/api/**"))
				.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
						PathPatternRequestMatcher.withDefaults().matcher("/files/**")));
		return http.build();
	}

}
