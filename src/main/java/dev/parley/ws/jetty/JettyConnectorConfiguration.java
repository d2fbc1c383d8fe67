package dev.parley.ws.jetty;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot's Jetty factory, as its auto-configuration builds it, with an
 * {@link InlineReadConnector} in place of its plain connector: the same connection factories, host
 * and port. Only plain connectors are replaced; with {@code server.ssl} Boot builds its own.
 */
@Configuration(proxyBeanMethods = false)
class JettyConnectorConfiguration {

	/**
	 * Connections the kernel may hold for the chat port before Jetty accepts them. Jetty's default
	 * asks for none, and the JDK then asks for 50: in a reconnect storm of 19,000 the kernel dropped
	 * most handshakes' first packets, and their clients tried again 1, 3, 7, 15 and 31 s later, some
	 * past their handshake's timeout (120 to 1,796 of them in five runs). With 1,024 all were let in,
	 * chat p99 248 ms; with the kernel's most (4,096) all were too, but the instance took the storm in
	 * faster than it could shed it and the chat's p99 was 885 and 1,332 ms (bench/notes.md).
	 */
	static final int ACCEPT_QUEUE = 1024;

	@Bean
	JettyServerCustomizer acceptQueue() {
		return server -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptQueueSize(ACCEPT_QUEUE);
				}
			}
		};
	}

	@Bean
	JettyServletWebServerFactory jettyServletWebServerFactory(ObjectProvider<JettyServerCustomizer> serverCustomizers) {
		JettyServletWebServerFactory factory = new InlineReadJettyFactory();
		factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
		return factory;
	}

	/**
	 * A class of its own, public with a public constructor: with {@code management.server.port} set,
	 * Boot makes the management server's factory by instantiating this one's class.
	 */
	public static class InlineReadJettyFactory extends JettyServletWebServerFactory {

		@Override
		protected AbstractConnector createConnector(InetSocketAddress address, Server server, Executor executor,
				Scheduler scheduler, ByteBufferPool bufferPool) {
			AbstractConnector plain = super.createConnector(address, server, executor, scheduler, bufferPool);
			InlineReadConnector connector = new InlineReadConnector(server, executor, scheduler, bufferPool,
					getAcceptors(), getSelectors(), plain.getConnectionFactories().toArray(ConnectionFactory[]::new));
			connector.setHost(address.getHostString());
			connector.setPort(address.getPort());
			return connector;
		}

	}

}
