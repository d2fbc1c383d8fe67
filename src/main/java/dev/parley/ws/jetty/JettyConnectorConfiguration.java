package dev.parley.ws.jetty;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
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
