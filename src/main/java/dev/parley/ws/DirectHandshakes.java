package dev.parley.ws;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.security.HandshakeThrottle;
import dev.parley.security.RequestThrottle;
import dev.parley.security.TokenService;
import dev.parley.security.TrustedProxies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;

/**
 * The {@code /ws} handshakes that carry a token and nothing of a browser (no cookie, no Origin), as
 * Jetty hands them over, in front of the servlet container: reconnect storms are made of these, and
 * there the servlet request, the filter chains and Spring MVC cost more than the admission itself.
 * No thread waits for Redis meanwhile: the admission's round trips complete on Redis's threads, and
 * the upgrade goes on on Jetty's pool. Every other request goes on to the servlet container, where
 * {@link WebSocketEndpoint} serves the rest of {@code /ws} (a browser's session or remember-me login,
 * an Origin to check). What a handshake meets is the same on either path: {@link HandshakeQueue}'s
 * shedding, then {@link HandshakeAuthenticator}'s admission, with the same statuses and headers.
 */
final class DirectHandshakes {

	private static final Logger log = LoggerFactory.getLogger(DirectHandshakes.class);

	private static final String PATH = "/ws";

	private final HandshakeAuthenticator authenticator;

	private final WebSocketUpgrades upgrades;

	private final HandshakeQueue queue;

	private final ConnectionMeters meters;

	private final TrustedProxies proxies;

	private final JsonMapper json;

	private DirectHandshakes(HandshakeAuthenticator authenticator, WebSocketUpgrades upgrades, HandshakeQueue queue,
			ConnectionMeters meters, TrustedProxies proxies, JsonMapper json) {
		this.authenticator = authenticator;
		this.upgrades = upgrades;
		this.queue = queue;
		this.meters = meters;
		this.proxies = proxies;
		this.json = json;
	}

	/** The token of a handshake this path takes, else null: the request goes on to the servlet container. */
	private static String directToken(Request request) {
		if (!HttpMethod.GET.is(request.getMethod()) || !PATH.equals(request.getHttpURI().getPath())) {
			return null;
		}
		HttpFields headers = request.getHeaders();
		if (headers.contains(HttpHeader.COOKIE) || headers.contains(HttpHeader.ORIGIN)
				|| !headers.contains(HttpHeader.UPGRADE, "websocket")) {
			return null;
		}
		return TokenService.bearer(headers.get(HttpHeader.AUTHORIZATION))
			.orElseGet(() -> Request.extractQueryParameters(request).getValue("token"));
	}

	private void handshake(ServletContextHandler context, Request request, Response response, Callback callback,
			String token) {
		if (queue.turnedAway(request.getConnectionMetaData().getConnection().getEndPoint())) {
			response.getHeaders().put(HttpHeader.RETRY_AFTER, queue.retryAfter());
			response.getHeaders().put(HttpHeader.CONNECTION, "close");
			answer(response, callback, HttpStatus.SERVICE_UNAVAILABLE, MimeTypes.Type.TEXT_PLAIN_UTF_8,
					HandshakeQueue.SHED);
			return;
		}
		String address = proxies.remoteAddress(Request.getRemoteAddr(request),
				request.getHeaders().get(HttpHeader.X_FORWARDED_FOR));
		authenticator.admitAsync(address, null, token)
			.whenComplete((admission, failure) -> onPool(request, callback, () -> {
				if (failure != null) {
					// Redis failed or did not answer in time: as on the servlet path, 503 and try again soon
					log.warn("Could not admit a handshake: {}", failure.toString());
					refuse(response, callback,
							HandshakeAuthenticator.Admission.refused(HttpStatus.SERVICE_UNAVAILABLE));
				}
				else if (admission.refusal() != null) {
					refuse(response, callback, admission);
				}
				else {
					upgrade(context, request, response, callback, admission, new Handshake(null, address));
				}
			}));
	}

	/** Off Redis's thread: the upgrade opens the connection, and the answer is written. */
	private static void onPool(Request request, Callback callback, Runnable task) {
		try {
			request.getComponents().getExecutor().execute(task);
		}
		catch (RejectedExecutionException ex) {
			// the server is stopping: the exchange ends with the connection
			callback.failed(ex);
		}
	}

	private void upgrade(ServletContextHandler context, Request request, Response response, Callback callback,
			HandshakeAuthenticator.Admission admission, Handshake handshake) {
		try {
			if (upgrades.upgrade(context, request, response, callback, admission, handshake)) {
				meters.handshake(ConnectionMeters.ACCEPTED);
				return;
			}
			meters.handshake(ConnectionMeters.NOT_WEBSOCKET);
			answer(response, callback, HttpStatus.BAD_REQUEST, MimeTypes.Type.TEXT_PLAIN_UTF_8,
					"Can \"Upgrade\" only to \"WebSocket\".");
		}
		catch (RuntimeException ex) {
			callback.failed(ex);
		}
	}

	/** As {@link WebSocketEndpoint} refuses an admission. */
	private void refuse(Response response, Callback callback, HandshakeAuthenticator.Admission admission) {
		meters.refused(admission.refusal());
		if (admission.retryAfter() != null) {
			response.getHeaders().put(HttpHeader.RETRY_AFTER, admission.retryAfter());
		}
		if (admission.retryAfterMillis() > 0) {
			answer(response, callback, admission.refusal(), MimeTypes.Type.TEXT_PLAIN_UTF_8, RequestThrottle
				.reason(HandshakeThrottle.HANDSHAKES, RequestThrottle.seconds(admission.retryAfterMillis())));
			return;
		}
		if (admission.banReason() != null) {
			answer(response, callback, admission.refusal(), MimeTypes.Type.APPLICATION_JSON_UTF_8,
					WebSocketEndpoint.banned(json, admission.banReason()));
			return;
		}
		answer(response, callback, admission.refusal(), MimeTypes.Type.TEXT_PLAIN_UTF_8,
				admission.refusal().getReasonPhrase());
	}

	private static void answer(Response response, Callback callback, HttpStatus status, MimeTypes.Type type,
			String body) {
		response.setStatus(status.value());
		response.getHeaders().put(type.getContentTypeField());
		Content.Sink.write(response, true, body, callback);
	}

	/**
	 * Puts the direct path in front of everything else the server handles. The path's parts are Spring
	 * beans made after the server, so they are looked up at the first request.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Installation {

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		static JettyServerCustomizer directHandshakes(ObjectProvider<HandshakeAuthenticator> authenticator,
				ObjectProvider<WebSocketUpgrades> upgrades, ObjectProvider<HandshakeQueue> queue,
				ObjectProvider<ConnectionMeters> meters, ObjectProvider<ParleyProperties> properties,
				ObjectProvider<JsonMapper> json) {
			return server -> server.setHandler(new Front(server.getHandler(),
					() -> new DirectHandshakes(authenticator.getObject(), upgrades.getObject(), queue.getObject(),
							meters.getObject(), new TrustedProxies(properties.getObject().proxy()), json.getObject())));
		}

	}

	private static final class Front extends Handler.Wrapper {

		private final Supplier<DirectHandshakes> parts;

		private volatile DirectHandshakes handshakes;

		private volatile ServletContextHandler context;

		Front(Handler next, Supplier<DirectHandshakes> parts) {
			super(next);
			this.parts = parts;
		}

		@Override
		public boolean handle(Request request, Response response, Callback callback) throws Exception {
			String token = directToken(request);
			if (token == null) {
				return super.handle(request, response, callback);
			}
			if (handshakes == null) {
				context = getServer().getDescendant(ServletContextHandler.class);
				handshakes = parts.get();
			}
			handshakes.handshake(context, request, response, callback, token);
			return true;
		}

	}

}
