package dev.parley.ws;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletCoreRequest;
import org.eclipse.jetty.ee11.servlet.ServletCoreResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.security.HandshakeThrottle;
import dev.parley.security.RequestThrottle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;

/**
 * {@code /ws} as the servlet container serves it, for the handshakes {@link DirectHandshakes} leaves
 * to it (a browser's, with its cookies and Origin): checks the Origin (same origin unless
 * {@code parley.ws.allowed-origins} says otherwise; clients that send none are not browsers and
 * pass), admits the user, then upgrades ({@link WebSocketUpgrades}).
 */
@Controller
class WebSocketEndpoint {

	private final HandshakeAuthenticator authenticator;

	private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);

	private final WebSocketUpgrades upgrades;

	private final JsonMapper json;

	private final CorsConfiguration origins = new CorsConfiguration();

	private final ConnectionMeters meters;

	WebSocketEndpoint(HandshakeAuthenticator authenticator, WebSocketUpgrades upgrades, JsonMapper json,
			ParleyProperties properties, ConnectionMeters meters) {
		this.authenticator = authenticator;
		this.meters = meters;
		this.json = json;
		this.upgrades = upgrades;
		this.origins.setAllowedOrigins(properties.ws().allowedOrigins());
	}

	@GetMapping("/ws")
	void upgrade(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!originAllowed(request)) {
			meters.handshake(ConnectionMeters.ORIGIN_REFUSED);
			response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
			return;
		}
		HandshakeAuthenticator.Admission admission;
		try {
			admission = authenticator.admit(request);
		}
		catch (DataAccessException ex) {
			log.warn("Could not admit a handshake: {}", ex.toString());
			admission = HandshakeAuthenticator.Admission.refused(HttpStatus.SERVICE_UNAVAILABLE);
		}
		if (admission.refusal() != null) {
			meters.refused(admission.refusal());
			if (admission.retryAfterMillis() > 0) {
				RequestThrottle.refuse(request, response, HandshakeThrottle.HANDSHAKES, admission.retryAfterMillis());
				return;
			}
			if (admission.retryAfter() != null) {
				response.setHeader(HttpHeaders.RETRY_AFTER, admission.retryAfter());
			}
			if (admission.banReason() != null) {
				response.setStatus(HttpServletResponse.SC_FORBIDDEN);
				response.setContentType("application/json");
				response.setCharacterEncoding("UTF-8");
				response.getWriter().write(banned(json, admission.banReason()));
				return;
			}
			response.sendError(admission.refusal().value());
			return;
		}
		if (!upgraded(request, response, admission,
				new Handshake(LogoutClosesConnections.sessionKey(request), request.getRemoteAddr()))) {
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

	/** The servlet's request and response as Jetty's core ones, the upgrade waited for. */
	private boolean upgraded(HttpServletRequest request, HttpServletResponse response,
			HandshakeAuthenticator.Admission admission, Handshake handshake) throws IOException {
		Request coreRequest = ServletCoreRequest.wrap(request);
		Response coreResponse = ServletCoreResponse.wrap(coreRequest, response, false);
		try (Blocker.Callback callback = Blocker.callback()) {
			boolean upgraded = upgrades.upgrade(ServletContextHandler.getServletContextHandler(request.getServletContext()),
					coreRequest, coreResponse, callback, admission, handshake);
			if (upgraded) {
				callback.block();
			}
			return upgraded;
		}
	}

	/**
	 * A banned user's handshake is refused {@code 403} with this JSON, the admin's reason in it. A
	 * browser's WebSocket never shows it, so the page asks {@code GET /ws} itself after a refused connection.
	 */
	static String banned(JsonMapper json, String reason) {
		return json.writeValueAsString(Map.of("error", "banned", "reason", reason));
	}

}
