package dev.parley.bench;

import io.netty.util.ResourceLeakDetector;

import java.nio.file.Path;

/**
 * {@code java -jar parley-bench.jar <scenario> [--option value ...]}; scenarios: idle, fanout,
 * rooms, private, churn, bigroom, storm, report, and reference-server (the bare Netty floor to compare with). Every result is appended to {@code --results}; {@code report}
 * turns them into {@code docs/benchmarks.md} and its charts.
 */
public final class Bench {

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		// the loader's buffers are released by Netty's own handlers; sampling them for leaks cost ~5 % of its CPU
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
		if (args.length == 0) {
			System.err.println("usage: parley-bench idle|fanout|rooms|private|churn|bigroom|storm|report|reference-server [--option value ...]");
			System.exit(2);
		}
		try {
			run(args);
		}
		catch (Throwable failure) {
			failure.printStackTrace();
			System.exit(1);
		}
		System.exit(0);
	}

	/** Netty's event loops are not daemons: every way out of {@code main} must go through exit. */
	private static void run(String[] args) throws Exception {
		String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
		Options options = new Options(rest);
		Scenarios scenarios = new Scenarios(options);
		switch (args[0]) {
			case "idle" -> scenarios.idle();
			case "fanout" -> scenarios.fanout();
			case "rooms" -> scenarios.rooms();
			case "private" -> scenarios.privates();
			case "churn" -> scenarios.churn();
			case "bigroom" -> scenarios.bigroom();
			case "storm" -> scenarios.storm();
			case "reference-server" -> ReferenceServer.run(options);
			case "report" -> new Report(Path.of(options.string("results", "target/bench-results.txt")),
					Path.of(options.string("out", "../docs")), options.string("machine", ""),
					options.string("commands", ""), options.string("notes", "")).write();
			default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
		}
	}

}
