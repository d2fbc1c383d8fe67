package dev.parley.chat;

import dev.parley.config.ParleyProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

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
			.addInterceptors(authenticator)
			.setAllowedOrigins(properties.ws().allowedOrigins().toArray(String[]::new));
	}

	@Bean
	ServletServerContainerFactoryBean webSocketContainer() {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize(properties.limits().frameSize());
		container.setMaxBinaryMessageBufferSize(properties.limits().frameSize());
		return container;
	}

}
