package io.autobahn.spring.websocket.test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Prints every thread's stack to standard error (which surefire keeps with the test's
 * report), so that a test timing out on an awaited event shows where the server stood.
 */
final class ThreadDump {

	private ThreadDump() {
	}

	static void print(String reason) {
		StringBuilder dump = new StringBuilder("Thread dump: ").append(reason).append('\n');
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true, 64)) {
			dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
			if (info.getLockName() != null) {
				dump.append(" on ").append(info.getLockName());
			}
			dump.append('\n');
			for (StackTraceElement element : info.getStackTrace()) {
				dump.append("\tat ").append(element).append('\n');
			}
		}
		System.err.println(dump);
	}

}
