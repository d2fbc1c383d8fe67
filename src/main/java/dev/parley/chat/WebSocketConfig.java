package dev.parley.chat;

import dev.parley.config.ParleyProperties;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * {@code /ws} with an Origin check (same origin unless {@code parley.ws.allowed-origins} says
 * otherwise) and the frame size limit: a larger frame closes the connection with {@code 1009}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

	private final ChatWebSocketHandler handler;

	private final HandshakeAuthenticator authenticator;

	private final ParleyProperties properties;

	WebSocketConfig(ChatWebSocketHandler handler, HandshakeAuthenticator authenticator,
			ParleyProperties properties) {
		this.handler = handler;
		this.authenticator = authenticator;
		this.properties = properties;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(handler, "/ws")
			.setHandshakeHandler(new DefaultHandshakeHandler(upgradeStrategy()))
			.addInterceptors(authenticator)
			.setAllowedOrigins(properties.ws().allowedOrigins().toArray(String[]::new));
	}

	/**
	 * Jetty's own WebSocket API: asynchronous sends that coalesce per connection, and buffers
	 * allocated as messages need them rather than up front per connection. Jetty's idle timeout is
	 * a backstop past the heartbeat's, which closes first with the protocol's 4001.
	 */
	private JettyRequestUpgradeStrategy upgradeStrategy() {
		JettyRequestUpgradeStrategy strategy = new JettyRequestUpgradeStrategy();
		int frameSize = properties.limits().frameSize();
		strategy.addWebSocketConfigurer(session -> {
			session.setMaxTextMessageSize(frameSize);
			session.setMaxBinaryMessageSize(frameSize);
			session.setMaxFrameSize(frameSize);
			session.setIdleTimeout(properties.ws().heartbeatTimeout().plus(properties.ws().heartbeatInterval()));
		});
		return strategy;
	}

}
