package dev.parley.messaging;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.parley.delivery.FanOut;

import org.springframework.stereotype.Component;

/**
 * The message path's meters, read from its own counters when scraped: nothing is added per
 * message. The store script's round trip is this instance's Redis command latency where it counts.
 */
@Component
class MessagingMeters implements MeterBinder {

	private final StoreBatcher batcher;

	private final LoadShedder shedder;

	private final FanOut fanOut;

	MessagingMeters(StoreBatcher batcher, LoadShedder shedder, FanOut fanOut) {
		this.batcher = batcher;
		this.shedder = shedder;
		this.fanOut = fanOut;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("parley.send.lag", fanOut, out -> out.lagNanos() / 1e9)
			.description("How long the oldest broadcast waiting for a send thread has waited")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("parley.stores.pending", shedder, LoadShedder::pendingStores)
			.description("Messages sent to Redis and not answered yet (parley.limits.pending-stores caps them)")
			.register(registry);
		FunctionCounter.builder("parley.store.batches", batcher, StoreBatcher::batches)
			.description("Store scripts run: each stores a batch of messages in one Redis round trip")
			.register(registry);
		FunctionCounter.builder("parley.store.batched", batcher, StoreBatcher::batchedStores)
			.description("Messages and changes stored in those batches (divided by the batches: the batch size)")
			.register(registry);
		FunctionTimer
			.builder("parley.redis.store", batcher, StoreBatcher::batches, StoreBatcher::roundTripSeconds,
					TimeUnit.SECONDS)
			.description("Round trips of the store script to Redis, from sending the batch to its reply")
			.register(registry);
	}

}
