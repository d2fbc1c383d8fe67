package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The targets table, read back from a results file as run.sh leaves it. */
class ReportTest {

	@TempDir
	Path dir;

	@Test
	void aScenarioCountsItsHighestPassingStepNotAHigherFailingOne() throws IOException {
		String table = targetsOf(
				step("rooms", "1 instance", 9765.6, 9765.5, 22.7, 0),
				step("rooms", "1 instance", 12207.0, 12206.7, 69.5, 0),
				step("rooms", "1 instance", 15258.8, 15259.0, 489.4, 0),
				step("rooms", "bare Netty", 16875.0, 16874.3, 2.7, 0),
				step("private", "1 instance", 20000.0, 20000.0, 80.0, 0),
				step("private", "1 instance", 25000.0, 20000.0, 90.0, 0));

		assertThat(table).contains("| rooms, 1,000 × 10 | ≥ 20,000 msgs/s accepted, p99 ≤ 100 ms | 12,207 msgs/s "
				+ "| 16,875 msgs/s | **no** |");
		assertThat(table).as("a step that acknowledged too little does not pass")
			.contains("| private, 5,000 pairs | ≥ 20,000 msgs/s accepted, p99 ≤ 100 ms | 20,000 msgs/s |  | yes |");
	}

	@Test
	void twoInstancesAreComparedWithOne() throws IOException {
		String table = targetsOf("scenario=fanout-max;label=1 instance;delivered_per_s=100000.0;",
				"scenario=fanout-max;label=2 instances;delivered_per_s=190000.0;",
				"scenario=idle;label=jetty;connections=19000;rss_per_conn_kib=21.0;");

		assertThat(table).contains("| fanout, 1,000 members | ≥ 80,000 deliveries/s, p99 ≤ 100 ms, no loss "
				+ "| 100,000 deliveries/s |  | yes |");
		assertThat(table).contains("| 1.90 × (190,000 deliveries/s; both on one core) |  | yes |");
		assertThat(table).contains("19,000 connections (the fd limit) at 21.0 KiB each |  | **no** |");
	}

	private static String step(String scenario, String label, double offered, double acked, double p99, int lost) {
		return "scenario=" + scenario + ";label=" + label + ";offered_per_s=" + offered + ";acked_per_s=" + acked
				+ ";p99_ms=" + p99 + ";lost=" + lost + ";";
	}

	private String targetsOf(String... lines) throws IOException {
		Path results = dir.resolve("results.txt");
		Files.write(results, java.util.List.of(lines));
		new Report(results, dir, "machine", "commands", "").write();
		String page = Files.readString(dir.resolve("benchmarks.md"));
		return page.substring(page.indexOf("## Targets"), page.indexOf("\n\n", page.indexOf("|---")));
	}

}
