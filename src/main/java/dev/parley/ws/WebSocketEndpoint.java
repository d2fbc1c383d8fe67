package dev.parley.ws;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletCoreRequest;
import org.eclipse.jetty.ee11.servlet.ServletCoreResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.delivery.Client;
import dev.parley.security.HandshakeThrottle;
import dev.parley.security.RequestThrottle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;

/**
 * {@code /ws}: checks the Origin (same origin unless {@code parley.ws.allowed-origins} says
 * otherwise; clients that send none are not browsers and pass), admits the user, then upgrades
 * straight onto Jetty's core WebSocket layer. No Spring or Jetty-API session sits between a
 * connection and its {@link Client}: those keep the whole upgrade request (its headers, servlet
 * request and HTTP parser) reachable for the connection's lifetime, several KiB per connection.
 * No extensions are negotiated: with permessage-deflate, which every browser offers, each
 * broadcast would be compressed once per recipient, and each connection would hold a zlib context.
 */
@Controller
class WebSocketEndpoint {

	private final HandshakeAuthenticator authenticator;

	private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);

	/** When a refused handshake may try again: a connection cap or a shutdown lasts about that long. */
	private static final String RETRY_AFTER_SECONDS = "10";

	private final ChatWebSocketHandler handler;

	private final JsonMapper json;

	private final CorsConfiguration origins = new CorsConfiguration();

	private final Configuration.ConfigurationCustomizer limits = new Configuration.ConfigurationCustomizer();

	private final ConnectionMeters meters;

	WebSocketEndpoint(HandshakeAuthenticator authenticator, ChatWebSocketHandler handler, JsonMapper json,
			ParleyProperties properties, ConnectionMeters meters) {
		this.authenticator = authenticator;
		this.meters = meters;
		this.json = json;
		this.handler = handler;
		this.origins.setAllowedOrigins(properties.ws().allowedOrigins());
		int frameSize = properties.limits().frameSize();
		this.limits.setMaxFrameSize(frameSize);
		this.limits.setMaxTextMessageSize(frameSize);
		this.limits.setMaxBinaryMessageSize(frameSize);
		// Jetty's idle timeout is a backstop past the heartbeat's, which closes first with the protocol's 4001.
		this.limits.setIdleTimeout(properties.ws().heartbeatTimeout().plus(properties.ws().heartbeatInterval()));
	}

	@GetMapping("/ws")
	void upgrade(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!originAllowed(request)) {
			meters.handshake(ConnectionMeters.ORIGIN_REFUSED);
			response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
			return;
		}
		HandshakeAuthenticator.Admission admission = authenticator.admit(request);
		if (admission.refusal() != null) {
			meters.refused(admission.refusal());
			if (admission.retryAfterMillis() > 0) {
				RequestThrottle.refuse(request, response, HandshakeThrottle.HANDSHAKES, admission.retryAfterMillis());
				return;
			}
			if (admission.refusal() == HttpStatus.TOO_MANY_REQUESTS
					|| admission.refusal() == HttpStatus.SERVICE_UNAVAILABLE) {
				response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
			}
			if (admission.banReason() != null) {
				banned(response, admission.banReason());
				return;
			}
			response.sendError(admission.refusal().value());
			return;
		}
		if (!upgraded(request, response, WebSocketNegotiator.from(
				(upgrade, upgradeResponse, callback) -> {
					upgradeResponse.setExtensions(List.of());
					return handler.newConnection(admission.user(), admission.rooms(),
							new Handshake(LogoutClosesConnections.sessionKey(request), request.getRemoteAddr()));
				},
				(endpoint, upgrade, upgradeResponse) -> (FrameHandler) endpoint, limits))) {
			meters.handshake(ConnectionMeters.NOT_WEBSOCKET);
			response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Can \"Upgrade\" only to \"WebSocket\".");
			return;
		}
		meters.handshake(ConnectionMeters.ACCEPTED);
	}

	private boolean originAllowed(HttpServletRequest request) {
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return true;
		}
		try {
			return WebUtils.isSameOrigin(new ServletServerHttpRequest(request)) || origins.checkOrigin(origin) != null;
		}
		catch (IllegalArgumentException ex) {
			log.info("Refused a handshake with a malformed Origin from {}", request.getRemoteAddr());
			return false;
		}
	}

	/** As Jetty's own programmatic upgrade does it, minus the Jetty-API endpoint layer. */
	private boolean upgraded(HttpServletRequest request, HttpServletResponse response, WebSocketNegotiator negotiator)
			throws IOException {
		WebSocketMappings mappings = WebSocketMappings
			.ensureMappings(ServletContextHandler.getServletContextHandler(request.getServletContext()));
		Request coreRequest = ServletCoreRequest.wrap(request);
		Response coreResponse = ServletCoreResponse.wrap(coreRequest, response, false);
		try (Blocker.Callback callback = Blocker.callback()) {
			boolean upgraded = mappings.upgrade(negotiator, coreRequest, coreResponse, callback, limits);
			if (upgraded) {
				callback.block();
			}
			return upgraded;
		}
	}

	/**
	 * A banned user's handshake: {@code 403} with the admin's reason as JSON. A browser's WebSocket
	 * never shows it, so the page asks {@code GET /ws} itself after a refused connection.
	 */
	private void banned(HttpServletResponse response, String reason) throws IOException {
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		response.setContentType("application/json");
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(json.writeValueAsString(Map.of("error", "banned", "reason", reason)));
	}

}
