package dev.parley.chat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Messages stored, delivered and refused, read from {@link MessageCounters} when scraped. The
 * deliveries per second are their rate, {@code rate(parley_deliveries_total[1m])}.
 */
@Component
class ChatMeters implements MeterBinder {

	private final MessageCounters counters;

	ChatMeters(MessageCounters counters) {
		this.counters = counters;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("parley.messages.stored", counters, MessageCounters::messages)
			.description("Messages this instance stored")
			.register(registry);
		FunctionCounter.builder("parley.deliveries", counters, MessageCounters::deliveries)
			.description("Broadcast frames this instance queued to its connections")
			.register(registry);
		FunctionCounter.builder("parley.messages.refused", counters, MessageCounters::refusals)
			.description("Messages refused, unstored, because this instance was busy")
			.tag("reason", "busy")
			.register(registry);
	}

}
