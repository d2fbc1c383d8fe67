package dev.parley.config;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * While a connection to Redis is down, Lettuce by default queues commands until it is back (or the
 * command timeout passes), and a message stored after a reconnect would be acknowledged seconds
 * late, or after its sender gave up. Parley refuses them at once instead: the sender gets
 * {@code unavailable} and may send again, and nothing piles up in memory meanwhile.
 * <p>
 * Lettuce's reconnect attempts back off to one every 30 s; after an outage longer than a few
 * seconds, service would come back that long after Redis did. They back off to one a second here,
 * with jitter, so that the instances behind one Redis do not all come back at the same instant.
 * <p>
 * Lettuce writes and flushes each command on its own: one {@code write} system call per command,
 * each waking Redis for one command. Commands sent from many threads at once (a storm of
 * handshakes, each sending a few) wait in the connection's event loop as tasks; their flushes are
 * consolidated into one, made once the tasks queued before it have written, so that they reach
 * Redis together.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientOptions {

	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	ClientResourcesBuilderCustomizer consolidateFlushes() {
		return resources -> resources.nettyCustomizer(new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				channel.pipeline()
					.addFirst(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES,
							true));
			}

		});
	}

	@Bean
	ClientResourcesBuilderCustomizer reconnectWithinASecond() {
		return resources -> resources.reconnectDelay(
				Delay.equalJitter(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

}
