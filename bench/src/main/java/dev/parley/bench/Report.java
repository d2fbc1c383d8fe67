package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes {@code benchmarks.md} and its PNG charts from the collected results. */
final class Report {

	private final Path results;

	private final Path docs;

	private final String machine;

	private final String commands;

	private final String notes;

	Report(Path results, Path docs, String machine, String commands, String notes) {
		this.results = results;
		this.docs = docs;
		this.machine = machine;
		this.commands = commands;
		this.notes = notes;
	}

	void write() throws IOException {
		System.setProperty("java.awt.headless", "true");
		List<Result> all = Result.readAll(results);
		Files.createDirectories(docs.resolve("benchmarks"));
		StringBuilder md = new StringBuilder();
		md.append("# Parley benchmarks\n\n");
		md.append("Produced by `bench/run.sh` (the load generator in `bench/`); every figure below comes from the\n")
			.append("run recorded here. Re-run it to refresh this page.\n\n");
		md.append("## Machine\n\n```\n").append(read(machine)).append("\n```\n\n");
		md.append("## Commands\n\n```sh\n").append(read(commands)).append("\n```\n\n");
		targets(md, all);
		table(md, "Idle connections", all, "idle", List.of("label", "connections", "transport", "connect_per_s",
				"rss_kib", "rss_per_conn_kib", "heap_per_conn_kib"));
		table(md, "Fanout, highest sustained rate (p99 bound, no loss)", all, "fanout-max",
				List.of("label", "members", "senders", "offered_per_s", "acked_per_s", "delivered_per_s", "lost",
						"p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "p99_bound_ms"));
		table(md, "Fanout steps", all, "fanout-step", List.of("label", "started", "connections", "offered_per_s",
				"acked_per_s", "delivered_per_s", "lost", "errors", "dropped", "p50_ms", "p99_ms", "p999_ms", "max_ms",
				"redis_forks"));
		table(md, "Fanout at a fixed rate", all, "fanout", List.of("label", "connections", "offered_per_s",
				"acked_per_s", "delivered_per_s", "lost", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"));
		table(md, "Rooms", all, "rooms", List.of("label", "started", "rooms", "fanout", "offered_per_s", "acked_per_s",
				"delivered_per_s", "lost", "errors", "dropped", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms",
				"redis_forks"));
		table(md, "Private", all, "private", List.of("label", "started", "pairs", "offered_per_s", "acked_per_s",
				"delivered_per_s", "lost", "errors", "dropped", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms",
				"redis_forks"));
		table(md, "Churn", all, "churn", List.of("label", "connections", "churn_per_s", "reconnects", "offered_per_s",
				"acked_per_s", "delivered_per_s", "errors", "p50_ms", "p99_ms", "max_ms"));
		if (chart(all, "fanout-step", "offered_per_s", "p99_ms", "Fanout latency vs offered rate",
				"offered messages/s", "p99 latency (ms)", docs.resolve("benchmarks/latency-vs-rate.png"), 1)) {
			md.append("![p99 latency vs offered rate](benchmarks/latency-vs-rate.png)\n\n");
		}
		if (chart(all, "idle-memory", "connections", "rss_kib", "Server memory vs connections", "connections",
				"server RSS (MiB)", docs.resolve("benchmarks/memory-vs-connections.png"), 1024)) {
			md.append("![server RSS vs connections](benchmarks/memory-vs-connections.png)\n\n");
		}
		if (!notes.isEmpty()) {
			md.append(read(notes)).append('\n');
		}
		Files.writeString(docs.resolve("benchmarks.md"), md);
	}

	/** The targets against this run: what was asked, what was measured, and whether it was met. */
	private static void targets(StringBuilder md, List<Result> all) {
		md.append("## Targets\n\n| scenario | target | this run | bare Netty, same run | met |\n|---|---|---|---|---|\n");
		Result idle = last(all, "idle", "jetty");
		if (idle != null) {
			double perConnection = idle.number("rss_per_conn_kib");
			row(md, "idle", "20,000 connections at ≤ 20 KiB RSS each", String.format(Locale.ROOT,
					"%,.0f connections (the fd limit) at %.1f KiB each", idle.number("connections"), perConnection), "",
					perConnection <= 20);
		}
		double one = number(last(all, "fanout-max", "1 instance"), "delivered_per_s");
		double two = number(last(all, "fanout-max", "2 instances"), "delivered_per_s");
		if (!Double.isNaN(one)) {
			row(md, "fanout, 1,000 members", "≥ 80,000 deliveries/s, p99 ≤ 100 ms, no loss",
					String.format(Locale.ROOT, "%,.0f deliveries/s", one), "", one >= 80_000);
		}
		if (!Double.isNaN(one) && !Double.isNaN(two)) {
			row(md, "fanout, 2 instances, one Redis", "≥ 1.8 × one instance",
					String.format(Locale.ROOT, "%.2f × (%,.0f deliveries/s; both on one core)", two / one, two), "",
					two >= 1.8 * one);
		}
		messageTarget(md, all, "rooms", "rooms, 1,000 × 10");
		messageTarget(md, all, "private", "private, 5,000 pairs");
		md.append('\n');
	}

	private static void messageTarget(StringBuilder md, List<Result> all, String scenario, String name) {
		double parley = highestPassing(all, scenario, "1 instance");
		if (Double.isNaN(parley)) {
			return;
		}
		double bare = highestPassing(all, scenario, "bare Netty");
		row(md, name, "≥ 20,000 msgs/s accepted, p99 ≤ 100 ms", String.format(Locale.ROOT, "%,.0f msgs/s", parley),
				Double.isNaN(bare) ? "" : String.format(Locale.ROOT, "%,.0f msgs/s", bare), parley >= 20_000);
	}

	/** The highest rate a step passed at, as the ramp judges it: p99 ≤ 100 ms, nothing lost, 97 % acknowledged. */
	private static double highestPassing(List<Result> all, String scenario, String label) {
		return all.stream()
			.filter(r -> scenario.equals(r.get("scenario")) && label.equals(r.get("label")))
			.filter(r -> r.number("p99_ms") <= 100 && r.number("lost") == 0
					&& r.number("acked_per_s") >= 0.97 * r.number("offered_per_s"))
			.mapToDouble(r -> r.number("offered_per_s"))
			.max()
			.orElse(Double.NaN);
	}

	private static Result last(List<Result> all, String scenario, String label) {
		Result found = null;
		for (Result r : all) {
			if (scenario.equals(r.get("scenario")) && label.equals(r.get("label"))) {
				found = r;
			}
		}
		return found;
	}

	private static double number(Result result, String key) {
		return result == null ? Double.NaN : result.number(key);
	}

	private static void row(StringBuilder md, String scenario, String target, String measured, String bare,
			boolean met) {
		md.append("| ").append(scenario).append(" | ").append(target).append(" | ").append(measured).append(" | ")
			.append(bare).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
	}

	private static String read(String pathOrText) throws IOException {
		if (!pathOrText.isEmpty() && Files.exists(Path.of(pathOrText))) {
			return Files.readString(Path.of(pathOrText)).strip();
		}
		return pathOrText;
	}

	private static void table(StringBuilder md, String title, List<Result> all, String scenario, List<String> columns) {
		List<Result> rows = all.stream().filter(r -> scenario.equals(r.get("scenario"))).toList();
		if (rows.isEmpty()) {
			return;
		}
		md.append("## ").append(title).append("\n\n|");
		columns.forEach(c -> md.append(' ').append(c).append(" |"));
		md.append("\n|");
		columns.forEach(c -> md.append("---|"));
		md.append('\n');
		for (Result row : rows) {
			md.append('|');
			columns.forEach(c -> md.append(' ').append(row.get(c)).append(" |"));
			md.append('\n');
		}
		md.append('\n');
	}

	private static boolean chart(List<Result> all, String scenario, String x, String y, String title, String xLabel,
			String yLabel, Path file, double yDivisor) throws IOException {
		Map<String, List<double[]>> series = new LinkedHashMap<>();
		for (Result r : all) {
			if (scenario.equals(r.get("scenario")) && !Double.isNaN(r.number(x)) && r.number(y) >= 0) {
				series.computeIfAbsent(r.get("label").isEmpty() ? "parley" : r.get("label"), k -> new ArrayList<>())
					.add(new double[] { r.number(x), r.number(y) / yDivisor });
			}
		}
		if (series.isEmpty()) {
			return false;
		}
		XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
		series.forEach((name, points) -> {
			double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
			double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
			chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
		});
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
		return true;
	}

}
