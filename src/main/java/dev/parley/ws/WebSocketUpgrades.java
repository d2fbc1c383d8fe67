package dev.parley.ws;

import java.util.List;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

import dev.parley.config.ParleyProperties;

import org.springframework.stereotype.Component;

/**
 * An admitted handshake's upgrade, straight onto Jetty's core WebSocket layer, whichever path
 * admitted it ({@link WebSocketEndpoint} or {@link DirectHandshakes}). No Spring or Jetty-API session
 * sits between a connection and its {@code Client}: those keep the whole upgrade request (its
 * headers, servlet request and HTTP parser) reachable for the connection's lifetime, several KiB per
 * connection. No extensions are negotiated: with permessage-deflate, which every browser offers, each
 * broadcast would be compressed once per recipient, and each connection would hold a zlib context.
 */
@Component
class WebSocketUpgrades {

	private final ChatWebSocketHandler handler;

	private final Configuration.ConfigurationCustomizer limits = new Configuration.ConfigurationCustomizer();

	WebSocketUpgrades(ChatWebSocketHandler handler, ParleyProperties properties) {
		this.handler = handler;
		int frameSize = properties.limits().frameSize();
		this.limits.setMaxFrameSize(frameSize);
		this.limits.setMaxTextMessageSize(frameSize);
		this.limits.setMaxBinaryMessageSize(frameSize);
		// Jetty's idle timeout is a backstop past the heartbeat's, which closes first with the protocol's 4001.
		this.limits.setIdleTimeout(properties.ws().heartbeatTimeout().plus(properties.ws().heartbeatInterval()));
	}

	/**
	 * As Jetty's own upgrade handler does it: false when the request is no WebSocket upgrade (and
	 * the callback is left to the caller); else the callback completes once the upgrade is sent.
	 */
	boolean upgrade(ContextHandler context, Request request, Response response, Callback callback,
			HandshakeAuthenticator.Admission admission, Handshake handshake) {
		WebSocketNegotiator negotiator = WebSocketNegotiator.from((upgrade, upgradeResponse, upgraded) -> {
			upgradeResponse.setExtensions(List.of());
			return handler.newConnection(admission.user(), admission.rooms(), handshake);
		}, (endpoint, upgrade, upgradeResponse) -> (FrameHandler) endpoint, limits);
		return WebSocketMappings.ensureMappings(context).upgrade(negotiator, request, response, callback, limits);
	}

}
