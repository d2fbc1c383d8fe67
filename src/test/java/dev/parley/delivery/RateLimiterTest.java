package dev.parley.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

	@Test
	void allowsABurstThenRefuses() {
		RateLimiter limiter = new RateLimiter(1, 5);
		int allowed = 0;
		for (int i = 0; i < 10; i++) {
			if (limiter.tryAcquire()) {
				allowed++;
			}
		}
		assertThat(allowed).isEqualTo(5);
	}

	@Test
	void refillsAtTheRate() throws InterruptedException {
		RateLimiter limiter = new RateLimiter(1000, 1);
		assertThat(limiter.tryAcquire()).isTrue();
		assertThat(limiter.tryAcquire()).isFalse();
		Thread.sleep(20);
		assertThat(limiter.tryAcquire()).isTrue();
	}

}
