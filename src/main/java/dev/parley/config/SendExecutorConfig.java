package dev.parley.config;

import java.util.concurrent.ThreadPoolExecutor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The bounded executor every socket write runs on: a fixed pool and a bounded queue. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SendExecutorConfig {

	@Bean
	ThreadPoolTaskExecutor sendExecutor(ParleyProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.send().threads());
		executor.setMaxPoolSize(properties.send().threads());
		executor.setQueueCapacity(properties.send().queueCapacity());
		executor.setThreadNamePrefix("parley-send-");
		executor.setRejectedExecutionHandler(new ThreadPoolExecutor.AbortPolicy());
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(10);
		return executor;
	}

}
