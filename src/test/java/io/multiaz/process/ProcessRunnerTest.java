package io.multiaz.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** Real child processes (sh, sleep, cat): the runner's timeouts, draining, killing and secrecy. */
final class ProcessRunnerTest {
    private static final String NEXT = "do the next thing";
    /** Kill, reap and the runner's drain grace (200 ms here) fit in this on a loaded machine. */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private final ProcessRunner runner = new ProcessRunner(ProcessRunner.DEFAULT_OUTPUT_LIMIT, Duration.ofMillis(200));

    @TempDir
    Path tmp;

    private static Command sh(String script) {
        return Command.of("test script", NEXT, List.of("sh", "-c", script));
    }

    /**
     * Waits until {@code pid} is dead: gone, or a zombie (a killed grandchild is reparented to PID 1,
     * which may take a while to reap it, and the JDK counts a zombie as alive).
     */
    private static void awaitGone(long pid) {
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty() || zombie(pid));
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Runs {@code command}, expecting a {@link ProcessException}; hands the lines it printed to {@code lines}. */
    private ProcessException failure(Command command, Duration timeout, List<String> lines) {
        return catchThrowableOfType(ProcessException.class, () -> runner.run(command, timeout, lines::add));
    }

    @Test
    void run_nonZeroExit_returnsExitCodeAndMergedOutput() {
        ProcessResult r = runner.run(sh("echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.output()).contains("out\n").contains("err\n");
        assertThat(r.lastLines(1)).hasSize(1);
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void requireSuccess_nonZeroExit_throwsNamingTheExitStatusTheOutputAndTheNextStep() {
        ProcessResult r = runner.run(sh("echo why it failed >&2; exit 4"), Duration.ofSeconds(10));

        assertThatThrownBy(r::requireSuccess).isInstanceOfSatisfying(ProcessException.class,
                e -> assertThat(e.failure()).isEqualTo(ProcessException.Failure.EXIT_STATUS))
                .hasMessage("test script failed (sh exited with 4): why it failed; " + NEXT);
        assertThat(runner.run(sh("exit 0"), Duration.ofSeconds(10)).requireSuccess().output()).isEmpty();
    }

    @Test
    void run_hungChild_killedAtItsTimeout() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Duration timeout = Duration.ofMillis(500);
        long start = System.nanoTime();

        ProcessException e = failure(sh("echo $$; exec sleep 60"), timeout, lines);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(MARGIN));
        assertThat(e.failure()).isEqualTo(ProcessException.Failure.TIMED_OUT);
        assertThat(e.getMessage()).startsWith("test script (sh -c echo $$; exec sleep 60) did not finish within 500 ms "
                + "and was killed; its last output: ").endsWith("; " + NEXT);
        awaitGone(Long.parseLong(lines.getFirst()));
    }

    @Test
    void run_hungChildWithAChild_killsBoth() {
        List<String> lines = new CopyOnWriteArrayList<>();

        ProcessException e = failure(sh("sleep 60 & echo $$ $!; wait"), Duration.ofMillis(500), lines);

        assertThat(e.failure()).isEqualTo(ProcessException.Failure.TIMED_OUT);
        assertThat(e.getMessage()).contains("was killed with its 1 descendant process;");
        String[] pids = lines.getFirst().split(" ");
        awaitGone(Long.parseLong(pids[0]));
        awaitGone(Long.parseLong(pids[1]));
    }

    /** Read-to-end-of-file-then-wait code never reaches its timeout here; 2 MB is far more than a pipe holds. */
    @Test
    void run_megabytesOfOutputThenHung_drainedWhileWaitingAndKilledAtItsTimeout() {
        Duration timeout = Duration.ofSeconds(2);
        long start = System.nanoTime();

        ProcessException e = failure(sh("head -c 2000000 /dev/zero | tr '\\0' x; echo; echo last words; sleep 60"),
                timeout, new CopyOnWriteArrayList<>());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(MARGIN));
        assertThat(e.failure()).isEqualTo(ProcessException.Failure.TIMED_OUT);
        assertThat(e.getMessage()).contains("its last output: ").contains("last words").hasSizeLessThan(3000);
    }

    @Test
    void run_megabytesOfOutput_keepsOnlyTheEnd() {
        ProcessResult r = runner.run(sh("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo the end"),
                Duration.ofSeconds(20));

        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).hasSize(ProcessRunner.DEFAULT_OUTPUT_LIMIT).endsWith("x\nthe end\n");
    }

    @Test
    void run_lineLongerThanTheLimit_handedOverInPieces() {
        List<String> lines = new CopyOnWriteArrayList<>();

        new ProcessRunner(100, Duration.ofMillis(200)).run(sh("head -c 250 /dev/zero | tr '\\0' x"),
                Duration.ofSeconds(10), lines::add);

        assertThat(lines).extracting(String::length).containsExactly(100, 100, 50);
    }

    @Test
    void run_grandchildKeepsThePipeOpen_returnsOnceTheChildExits() {
        List<String> lines = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();

        ProcessResult r = runner.run(sh("sleep 30 & echo started $!"), Duration.ofSeconds(20), lines::add);

        long grandchild = Long.parseLong(lines.getFirst().split(" ")[1]);
        try {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MARGIN);
            assertThat(r.exitCode()).isZero();
            assertThat(r.output()).startsWith("started ");
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void run_interrupted_killsTheChildAndKeepsTheInterruptFlag() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<ProcessException> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            thrown.set(failure(sh("echo $$; exec sleep 60"), Duration.ofSeconds(60), lines));
            flag.set(Thread.currentThread().isInterrupted());
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> !lines.isEmpty());

        caller.interrupt();
        caller.join(Duration.ofSeconds(10));

        assertThat(thrown.get().failure()).isEqualTo(ProcessException.Failure.INTERRUPTED);
        assertThat(flag.get()).isTrue();
        awaitGone(Long.parseLong(lines.getFirst()));
    }

    @Test
    void run_input_writtenToStandardInput() {
        ProcessResult r = runner.run(Command.of("cat", NEXT, List.of("cat")).withInput("line one\nline two\n"),
                Duration.ofSeconds(10));

        assertThat(r.output()).isEqualTo("line one\nline two\n");
    }

    @Test
    void run_childNeverReadsItsLargeInput_stillKilledAtItsTimeout() {
        long start = System.nanoTime();

        ProcessException e = failure(sh("exec sleep 60").withInput("y".repeat(1 << 20)), Duration.ofMillis(500),
                new CopyOnWriteArrayList<>());

        assertThat(e.failure()).isEqualTo(ProcessException.Failure.TIMED_OUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500).plus(MARGIN));
    }

    @Test
    void run_environmentAndDirectory_setAsTheCommandSays() {
        ProcessResult r = runner.run(sh("echo \"$EXTRA [${HOME-none}] $(pwd)\"").withEnv(Map.of("EXTRA", "set"))
                .withoutInheritedEnv("HOM").inDirectory(tmp), Duration.ofSeconds(10));

        assertThat(r.output()).isEqualTo("set [none] " + tmp + "\n");
    }

    @Test
    void run_missingProgram_notStartedNamingItAndTheNextStep() {
        ProcessException e = failure(Command.of("the missing thing", NEXT, List.of("/nonexistent/program")),
                Duration.ofSeconds(10), new CopyOnWriteArrayList<>());

        assertThat(e.failure()).isEqualTo(ProcessException.Failure.NOT_STARTED);
        assertThat(e.getMessage()).startsWith("the missing thing could not start /nonexistent/program: ")
                .endsWith("; " + NEXT);
    }

    @Test
    void run_secretInEnvironment_neverInMessagesOrLogs() {
        String secret = "s3cret-Pa55";
        Logger logger = (Logger) LoggerFactory.getLogger("io.multiaz.process");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(logged);
        try {
            Map<String, String> env = Map.of("PGPASSWORD", secret);
            Command check = sh("test \"${#PGPASSWORD}\" = " + secret.length()).withEnv(env);
            assertThat(runner.run(check, Duration.ofSeconds(10)).exitCode()).as("the child gets it").isZero();
            List<Throwable> failures = List.of(
                    failure(sh("exec sleep 60").withEnv(env), Duration.ofMillis(300), new CopyOnWriteArrayList<>()),
                    catchThrowableOfType(ProcessException.class,
                            () -> runner.run(sh("exit 1").withEnv(env), Duration.ofSeconds(10)).requireSuccess()),
                    failure(Command.of("missing", NEXT, List.of("/nonexistent/program")).withEnv(env),
                            Duration.ofSeconds(10), new CopyOnWriteArrayList<>()));

            assertThat(failures).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(secret));
            assertThat(sh("true").withEnv(env).toString()).contains("PGPASSWORD").doesNotContain(secret);
            assertThat(logged.list).isNotEmpty()
                    .allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(secret));
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
    }

    @Test
    void commandLine_anotherUser_runsThroughRunuser() {
        Command c = Command.of("x", NEXT, List.of("id", "-un"));

        assertThat(c.asUser(System.getProperty("user.name")).commandLine()).containsExactly("id", "-un");
        assertThat(c.asUser("someone-else").commandLine()).containsExactly("runuser", "-u", "someone-else", "--",
                "id", "-un");
    }

    @Test
    void run_asAnotherUserWhenRoot_runsAsThatUser() {
        assumeThat(System.getProperty("user.name")).isEqualTo("root");

        ProcessResult r = runner.run(Command.of("whoami", NEXT, List.of("id", "-un")).asUser("nobody"),
                Duration.ofSeconds(10));

        assertThat(r.output()).isEqualTo("nobody\n");
    }

    @Test
    void spawn_daemon_appendsItsOutputToTheLogAndIsNotWaitedFor() throws Exception {
        Path log = Files.writeString(tmp.resolve("daemon.log"), "earlier\n");

        Process p = runner.spawn(sh("echo out; echo err >&2; exec sleep 60"), log);
        try {
            await().atMost(5, TimeUnit.SECONDS).until(() -> Files.readString(log).contains("err"));
            assertThat(p.isAlive()).isTrue();
            assertThat(Files.readString(log)).startsWith("earlier\n").contains("out\n");
        } finally {
            p.destroyForcibly();
        }
        assertThatThrownBy(() -> runner.spawn(sh("true").withInput("x"), log))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
