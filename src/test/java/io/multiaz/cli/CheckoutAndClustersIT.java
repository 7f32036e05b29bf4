package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 20, as a newcomer meets it, on one deployment (ports 29100-29439), every command run as a
 * process of its own in a fake checkout, with no {@code --state-dir}:
 * <ol>
 *   <li>as root, in a checkout below a directory closed to others (as {@code /root} is), {@code up}
 *   puts the data under /var/lib/multiaz, says where and why, and links {@code ./.multiaz} to it;
 *   the later commands find it through the link; {@code destroy} removes both;</li>
 *   <li>the CLI sees a cluster created through the RDS API: bare {@code status} lists both,
 *   {@code status --json} has {@code clusters} and the demo cluster's top-level fields, and
 *   {@code switchover}, {@code pause}, {@code resume}, {@code events}, {@code history} take
 *   {@code --cluster}; an unknown name fails with one line naming the clusters.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class CheckoutAndClustersIT {
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);
    private static Path closed;
    private static Path checkout;
    private static Path link;
    private static Path target;
    private static RdsClient rds;

    @BeforeAll
    static void upInAClosedCheckout() throws Exception {
        assumeThat(Os.isRoot()).as("the servers run as the postgres OS user only when multiaz runs as root").isTrue();
        closed = Files.createTempDirectory(Path.of("/tmp"), "multiaz-closed-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        checkout = Files.createDirectory(closed.resolve("checkout"));
        link = checkout.resolve(".multiaz");
        Cli.Result up = cli(Duration.ofMinutes(5), "up", "--base-port", "29100", "--timeout", "240s");
        assertThat(up.exit()).as("up: %s", up.out()).isZero();
        target = StateDirs.relocation(link);
        assertThat(up.out()).contains("the postgres OS user that runs PostgreSQL cannot reach " + link + " (" + closed
                + " is not searchable by others), so the data lives in " + target);
        assertThat(up.out()).contains("made " + link + " a link to " + target);
        assertThat(up.out()).contains("status: ./multiaz status    stop: ./multiaz down");
    }

    @AfterAll
    static void destroy() throws IOException {
        if (rds != null) {
            rds.close();
        }
        if (target != null && Files.exists(target)) {
            // stops every process of the deployment by the pids in its state dir, then removes it
            if (Cli.runIn(checkout, CLI_TIMEOUT, "destroy").exit() != 0) {
                Cli.run("destroy", "--state-dir", target.toString());
            }
        }
        if (closed != null) {
            try (Stream<Path> walk = Files.walk(closed)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Cli.Result cli(Duration timeout, String... args) {
        return Cli.runIn(checkout, timeout, args);
    }

    private static Cli.Result cli(String... args) {
        return cli(CLI_TIMEOUT, args);
    }

    private static JsonNode statusJson(String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("status", "--json"));
        args.addAll(List.of(more));
        Cli.Result r = cli(args.toArray(String[]::new));
        assertThat(r.exit()).as("status --json: %s", r.out()).isZero();
        return Cli.json(r.out());
    }

    private static JsonNode clusterIn(JsonNode status, String name) {
        for (JsonNode c : status.get("clusters")) {
            if (c.get("cluster").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no cluster " + name + " in " + status.get("clusters"));
    }

    @Test
    @Order(1)
    void up_dataUnderVarLib_linkInTheCheckout_agentsGivenTheRealPath_closedDirUntouched() throws Exception {
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
        assertThat(target.getParent()).isEqualTo(Path.of("/var/lib/multiaz"));
        assertThat(Files.isRegularFile(target.resolve("multiaz.yaml"))).isTrue();
        assertThat(Files.getPosixFilePermissions(closed)).as("no permission of the user's directories changes")
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String az : LocalSite.ZONES) {
            long pid = Long.parseLong(Files.readString(target.resolve("run/agent-" + az + ".pid")).trim());
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            assertThat(cmdline).as("agent %s", az).contains("--state-dir " + target + " ").doesNotContain(closed.toString());
        }

        JsonNode s = statusJson();
        assertThat(s.get("stateDir").asText()).isEqualTo(target.toString());
        assertThat(s.get("api").get("credentialsFile").asText()).isEqualTo(target.resolve("aws/credentials").toString());
        assertThat(s.get("cluster").asText()).isEqualTo("demo");
        assertThat(s.get("clusters")).hasSize(1);
        assertThat(Files.isReadable(link.resolve("aws/credentials"))).as("the README's .multiaz/aws paths").isTrue();
        rds = AwsClients.sdk(s.get("api"));
    }

    @Test
    @Order(2)
    void apiCluster_listedByStatus_textAndJson() throws Exception {
        rds.createDBCluster(b -> b.dbClusterIdentifier("orders").engine("postgres").dbClusterInstanceClass("db.t3.micro")
                .masterUsername("owner").masterUserPassword("choose-one-8+").databaseName("shop"));
        try (RdsWaiter waiter = RdsWaiter.builder().client(rds).overrideConfiguration(WaiterOverrideConfiguration
                .builder().maxAttempts(240).backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofSeconds(1)))
                .build()).build()) {
            waiter.waitUntilDBClusterAvailable(b -> b.dbClusterIdentifier("orders"));
        }
        DBCluster orders = rds.describeDBClusters(b -> b.dbClusterIdentifier("orders")).dbClusters().getFirst();

        Cli.Result table = cli("status");
        assertThat(table.exit()).as(table.out()).isZero();
        assertThat(table.out()).contains("cluster demo  writer demo-", "cluster orders  writer orders-",
                "writer " + orders.endpoint() + "  reader " + orders.readerEndpoint());
        assertThat(table.out().indexOf("cluster demo")).as("the demo cluster first")
                .isLessThan(table.out().indexOf("cluster orders"));

        JsonNode s = statusJson();
        assertThat(s.get("cluster").asText()).as("the top level is the demo cluster's, as before").isEqualTo("demo");
        assertThat(s.get("members")).hasSize(3);
        assertThat(s.get("leader").asText()).startsWith("demo-");
        assertThat(s.get("endpoints").get("writer").asText()).as("with the password the layout keeps")
                .matches("postgresql://dbadmin:[^@]+@127\\.77\\.\\d+\\.1/postgres");
        assertThat(s.get("clusters")).extracting(c -> c.get("cluster").asText()).containsExactly("demo", "orders");
        JsonNode o = clusterIn(s, "orders");
        assertThat(o.get("members").findValuesAsText("name")).containsExactlyInAnyOrder("orders-instance-1",
                "orders-instance-2", "orders-instance-3");
        assertThat(o.get("endpoints").get("writer").asText()).isEqualTo("postgresql://owner@" + orders.endpoint()
                + "/shop");
        assertThat(o.has("clusters")).as("no nesting").isFalse();
        assertThat(clusterIn(s, "demo").get("members")).isEqualTo(s.get("members"));

        JsonNode one = statusJson("--cluster", "orders");
        assertThat(one.get("cluster").asText()).isEqualTo("orders");
    }

    @Test
    @Order(3)
    void switchover_namedCluster_changesItsWriterOnly() throws Exception {
        String demoWriter = statusJson().get("leader").asText();
        String before = statusJson("--cluster", "orders").get("leader").asText();
        Cli.Result r = cli("switchover", "--cluster", "orders");
        assertThat(r.exit()).as("switchover: %s", r.out()).isZero();
        assertThat(r.out()).contains("switchover of cluster orders requested from " + before, "switchover done");
        JsonNode after = statusJson("--cluster", "orders");
        assertThat(after.get("leader").asText()).isNotEqualTo(before).startsWith("orders-");
        assertThat(statusJson().get("leader").asText()).isEqualTo(demoWriter);

        Cli.Result history = cli("history", "--cluster", "orders");
        assertThat(history.exit()).as(history.out()).isZero();
        assertThat(history.out()).contains(after.get("leader").asText(), before);
    }

    @Test
    @Order(4)
    void pauseAndResume_namedCluster_statusShowsIt_eventsListIt() throws Exception {
        Cli.Result paused = cli("pause", "--cluster", "orders");
        assertThat(paused.exit()).as(paused.out()).isZero();
        assertThat(paused.out()).contains("paused cluster orders", "./multiaz resume --cluster orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> clusterIn(statusJson(), "orders").get("paused").asBoolean());
        JsonNode s = statusJson();
        assertThat(s.get("paused").asBoolean()).as("the demo cluster is not paused").isFalse();
        assertThat(cli("status", "--cluster", "orders").out()).contains("PAUSED (./multiaz resume --cluster orders)");
        assertThat(cli("switchover", "--cluster", "orders").out()).contains("is paused");

        Cli.Result resumed = cli("resume", "--cluster", "orders");
        assertThat(resumed.exit()).as(resumed.out()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !clusterIn(statusJson(), "orders").get("paused").asBoolean());

        Cli.Result events = cli("events", "--cluster", "orders", "--limit", "200");
        assertThat(events.exit()).as(events.out()).isZero();
        assertThat(events.out()).contains("switchover-requested", "paused", "resumed");
        assertThat(cli("events").out()).as("the demo cluster's events by default").doesNotContain("orders-instance");
    }

    @Test
    @Order(5)
    void unknownCluster_oneLineNamingTheClusters_exit1() {
        for (String command : List.of("status", "switchover", "failover", "pause", "resume", "history", "events")) {
            Cli.Result r = cli(command, "--cluster", "nosuch");
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.out().lines().filter(l -> l.startsWith("multiaz:")).toList()).as(command).containsExactly(
                    "multiaz: there is no cluster nosuch in this deployment; clusters: demo, orders (choose one with "
                            + "--cluster NAME)");
        }
    }

    @Test
    @Order(6)
    void downThenDestroy_withoutFlags_removeTheDataAndTheLink() throws Exception {
        Cli.Result down = cli(Duration.ofMinutes(3), "down");
        assertThat(down.exit()).as("down: %s", down.out()).isZero();
        assertThat(down.out()).contains("stopped; data kept in " + target);
        assertThat(cli("status").exit()).as("nothing answers after down").isEqualTo(1);

        Cli.Result destroyed = cli(Duration.ofMinutes(3), "destroy");
        assertThat(destroyed.exit()).as("destroy: %s", destroyed.out()).isZero();
        assertThat(destroyed.out()).contains("removed " + target, "removed the link " + link);
        assertThat(Files.exists(target)).isFalse();
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.isDirectory(checkout)).isTrue();
    }
}
