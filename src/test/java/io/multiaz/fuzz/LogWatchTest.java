package io.multiaz.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fuzzer reads of the agents' logs: only what was written since, one entry per problem with its trace. */
final class LogWatchTest {
    @TempDir
    Path stateDir;

    @Test
    void problems_errorWithItsException_oneEntryFromWhatWasWrittenSince() throws Exception {
        Path log = Files.createDirectories(stateDir.resolve("logs")).resolve("agent-az-b.log");
        Files.writeString(log, "2026-12-03 10:49:00.000 ERROR [main] Old: before the watch\n");
        LogWatch watch = LogWatch.agents(stateDir);
        Files.writeString(log, String.join("\n",
                "2026-12-03 10:49:06.392 INFO  [reconciler-az-b] ClusterReconciler: cluster fz-new-4 deleted",
                "2026-12-03 10:49:06.394 ERROR [Curator-SafeNotifyService-0] MappingListenerManager: Listener"
                        + " (org.apache.curator.framework.recipes.cache.CuratorCacheListenerBuilderImpl$2@349d3c5e) threw an"
                        + " exception",
                "java.util.concurrent.RejectedExecutionException: Task java.util.concurrent.ScheduledThreadPoolExecutor"
                        + "$ScheduledFutureTask@2b6019f0[Not completed, task = io.multiaz.agent.endpoints"
                        + ".EndpointController$$Lambda/0x0000000023402e30@2f] rejected",
                "\tat java.base/java.util.concurrent.ThreadPoolExecutor$AbortPolicy.rejectedExecution(ThreadPoolExecutor.java:2032)",
                "\tat java.base/java.util.concurrent.ThreadPoolExecutor.reject(ThreadPoolExecutor.java:787)",
                "\tat java.base/java.util.concurrent.ScheduledThreadPoolExecutor.delayedExecute(ScheduledThreadPoolExecutor.java:345)",
                "\tat java.base/java.util.concurrent.ScheduledThreadPoolExecutor.schedule(ScheduledThreadPoolExecutor.java:562)",
                "2026-12-03 10:49:07.000 WARN  [ha-demo-1] InstanceSupervisor: demo-1: the new server parameters were not"
                        + " applied (value of parameter x spans lines); fix the parameter group",
                "2026-12-03 10:49:08.000 WARN  [JettyServerThreadPool-66] HttpParser: URI is too large >8192",
                ""), StandardOpenOption.APPEND);

        List<String> problems = watch.problems();

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("agent-az-b.log: 2026-12-03 10:49:06.394 ERROR")
                .contains(" | java.util.concurrent.RejectedExecutionException", "rejectedExecution", "delayedExecute")
                .doesNotContain("schedule(");
        assertThat(problems.get(1)).contains("were not applied");
        assertThat(new Probes(null, "/multiaz", watch, watch, List.of(Pattern.compile("MappingListenerManager: Listener .*"
                + " threw an exception \\| java.util.concurrent.RejectedExecutionException: .*EndpointController")))
                .known(problems.get(0))).isTrue();
        assertThat(watch.problems()).isEmpty();
    }
}
