package dev.parley.config;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each child a process forks the lowest CPU priority ({@code renice}), a few times a second.
 * The children of the embedded Redis are its AOF rewrites, each of which reads the whole data set:
 * at full priority, on a machine the application shares with Redis, one took the CPU from serving
 * for seconds (docs/benchmarks.md); at nice 19 it runs in the time serving leaves. The price: under
 * load a rewrite takes longer, and Redis keeps the writes made meanwhile in memory until it ends.
 */
final class ChildPriority implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ChildPriority.class);

	private static final long EVERY_MILLIS = 250;

	private final ProcessHandle parent;

	private final int nice;

	private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread thread = new Thread(task, "redis-child-priority");
		thread.setDaemon(true);
		return thread;
	});

	/** The children given their priority already; touched by the watcher thread only. */
	private final Set<Long> lowered = new HashSet<>();

	private ChildPriority(ProcessHandle parent, int nice) {
		this.parent = parent;
		this.nice = nice;
	}

	static ChildPriority watch(ProcessHandle parent, int nice) {
		ChildPriority priority = new ChildPriority(parent, nice);
		priority.watcher.scheduleWithFixedDelay(priority::lowerNewChildren, EVERY_MILLIS, EVERY_MILLIS,
				TimeUnit.MILLISECONDS);
		return priority;
	}

	private void lowerNewChildren() {
		List<Long> children = parent.children().map(ProcessHandle::pid).toList();
		lowered.retainAll(children);
		for (long child : children) {
			if (lowered.add(child)) {
				renice(child);
			}
		}
	}

	private void renice(long pid) {
		try {
			Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", Long.toString(pid))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!renice.waitFor(5, TimeUnit.SECONDS) || renice.exitValue() != 0) {
				// most often the child has ended already
				log.debug("renice {} of Redis's child {} did not succeed", nice, pid);
			}
		}
		catch (IOException ex) {
			log.warn("Redis's background work keeps its CPU priority: renice could not run ({})", ex.getMessage());
			watcher.shutdown();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		watcher.shutdownNow();
	}

}
