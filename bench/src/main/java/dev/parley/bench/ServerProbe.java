package dev.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the server JVM's resident memory (/proc) and live heap (jcmd, after a full GC). */
final class ServerProbe {

	/** The used figure of each generation or heap line (G1: one heap line; Serial/Parallel: one per generation). */
	private static final Pattern HEAP_USED = Pattern.compile("(?m)^ \\S.*(?:generation|heap|PSYoungGen|ParOldGen).*?used (\\d+)K");

	private final long pid;

	ServerProbe(long pid) {
		this.pid = pid;
	}

	boolean enabled() {
		return pid > 0;
	}

	long rssKib() {
		if (!enabled()) {
			return -1;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			return -1;
		}
		return -1;
	}

	/** Live heap after a full collection, in KiB. */
	long heapUsedKib() {
		if (!enabled()) {
			return -1;
		}
		jcmd("GC.run");
		Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
		long total = 0;
		boolean found = false;
		while (used.find()) {
			total += Long.parseLong(used.group(1));
			found = true;
		}
		return found ? total : -1;
	}

	private String jcmd(String command) {
		try {
			Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return out;
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

}
