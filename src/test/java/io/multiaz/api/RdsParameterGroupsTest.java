package io.multiaz.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DB cluster parameter group actions over the in-memory repositories and the installed server's parameters. */
final class RdsParameterGroupsTest {
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = backend.actions();

    private String call(String action, String... params) {
        return FixedBackend.call(actions, action, params);
    }

    @Test
    void modifyParameterGroup_passwordEncryption_refusedAsTheEngineWouldRefuseToStartWithIt() {
        // regression: the API once accepted settings the engine manages, and the instance then failed to start
        createParameterGroup("web");
        for (String managed : io.multiaz.engine.ManagedSettings.NAMES) {
            assertThatThrownBy(() -> modify("web", managed, "x", "pending-reboot")).as(managed)
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        }
        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters()).isEmpty();
    }

    private String modify(String group, String... nameValueMethod) {
        List<String> params = new ArrayList<>(List.of("DBClusterParameterGroupName", group));
        for (int i = 0; i < nameValueMethod.length; i += 3) {
            String p = "Parameters.Parameter." + (i / 3 + 1) + ".";
            params.addAll(List.of(p + "ParameterName", nameValueMethod[i], p + "ParameterValue", nameValueMethod[i + 1],
                    p + "ApplyMethod", nameValueMethod[i + 2]));
        }
        return call("ModifyDBClusterParameterGroup", params.toArray(String[]::new));
    }

    private String createParameterGroup(String name) {
        return call("CreateDBClusterParameterGroup", "DBClusterParameterGroupName", name,
                "DBParameterGroupFamily", "postgres15", "Description", "for " + name);
    }

    @Test
    void parameterGroups_createModifyDescribeResetDelete() {
        assertThat(createParameterGroup("Tuned-1")).contains("<CreateDBClusterParameterGroupResult><DBClusterParameterGroup>"
                + "<DBClusterParameterGroupName>tuned-1</DBClusterParameterGroupName><DBParameterGroupFamily>postgres15"
                + "</DBParameterGroupFamily><Description>for Tuned-1</Description><DBClusterParameterGroupArn>"
                + "arn:aws:rds:local-1:000000000000:cluster-pg:tuned-1</DBClusterParameterGroupArn>");

        assertThat(modify("tuned-1", "work_mem", "8192", "immediate", "shared_buffers", "256MB", "pending-reboot",
                "enable_seqscan", "off", "immediate", "random_page_cost", "1.1", "immediate"))
                .contains("<ModifyDBClusterParameterGroupResult><DBClusterParameterGroupName>tuned-1<");

        String user = call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "tuned-1", "Source", "user");
        assertThat(user).contains("<Parameter><ParameterName>enable_seqscan</ParameterName><ParameterValue>off"
                        + "</ParameterValue>",
                "<ParameterName>shared_buffers</ParameterName><ParameterValue>256MB</ParameterValue>",
                "<Source>user</Source><ApplyType>static</ApplyType><DataType>integer</DataType><AllowedValues>16-1073741823"
                        + "</AllowedValues><IsModifiable>true</IsModifiable><ApplyMethod>pending-reboot</ApplyMethod>",
                "<ParameterName>work_mem</ParameterName><ParameterValue>8192</ParameterValue>")
                .doesNotContain("max_connections", "<Marker>");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "tuned-1", "Source", "system"))
                .contains("<ParameterName>wal_level</ParameterName>", "<AllowedValues>minimal,replica,logical</AllowedValues>");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "tuned-1", "Source", "system"))
                .contains("<ParameterName>wal_level</ParameterName>", "<IsModifiable>false</IsModifiable>")
                .doesNotContain("work_mem");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "default.postgres15",
                "MaxRecords", "20")).contains("<Marker>20</Marker>", "<Source>engine-default</Source>")
                .doesNotContain("<Source>user</Source>");

        call("ResetDBClusterParameterGroup", "DBClusterParameterGroupName", "tuned-1",
                "Parameters.Parameter.1.ParameterName", "work_mem");
        assertThat(backend.records.parameterGroups().get("tuned-1").orElseThrow().parameters())
                .containsOnlyKeys("enable_seqscan", "random_page_cost", "shared_buffers");
        call("ResetDBClusterParameterGroup", "DBClusterParameterGroupName", "tuned-1", "ResetAllParameters", "true");
        assertThat(backend.records.parameterGroups().get("tuned-1").orElseThrow().parameters()).isEmpty();

        assertThat(call("DeleteDBClusterParameterGroup", "DBClusterParameterGroupName", "tuned-1"))
                .contains("<DeleteDBClusterParameterGroupResponse").doesNotContain("Result");
        assertThat(backend.records.parameterGroups().list()).isEmpty();
    }

    @Test
    void describeParameterGroups_builtInFirst_byName_andPages() {
        for (int i = 0; i < 20; i++) {
            createParameterGroup(String.format("g%02d", i));
        }
        String first = call("DescribeDBClusterParameterGroups", "MaxRecords", "20");
        assertThat(first).containsSubsequence("<DBClusterParameterGroupName>default.postgres15<",
                "<DBClusterParameterGroupName>g00<", "<DBClusterParameterGroupName>g18<")
                .contains("<Marker>20</Marker>").doesNotContain("g19");
        assertThat(call("DescribeDBClusterParameterGroups", "Marker", "20")).contains("g19").doesNotContain("g18");
        assertThat(call("DescribeDBClusterParameterGroups", "DBClusterParameterGroupName", "Default.Postgres15"))
                .contains("<Description>Default cluster parameter group for postgres15</Description>")
                .doesNotContain("g00");
    }

    @Test
    void parameterGroups_badInputs_refusedAndNothingChanged() {
        createParameterGroup("web");
        modify("web", "work_mem", "4096", "immediate");
        record Bad(String code, String action, String[] params) {
        }
        String[] createOk = {"DBParameterGroupFamily", "postgres15", "Description", "d"};
        String m = "Parameters.Parameter.1.";
        List<Bad> table = new ArrayList<>(List.of(
                new Bad("DBParameterGroupAlreadyExists", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "WEB"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "1st"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "a--b"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "ends-"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "default.postgres15"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "new", "DBParameterGroupFamily", "postgres14", "Description", "d"}),
                new Bad("MissingParameter", "CreateDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "new", "DBParameterGroupFamily", "postgres15"}),
                new Bad("DBParameterGroupNotFound", "DescribeDBClusterParameterGroups",
                        new String[]{"DBClusterParameterGroupName", "nope"}),
                new Bad("InvalidParameterValue", "DescribeDBClusterParameterGroups", new String[]{"MaxRecords", "19"}),
                new Bad("DBParameterGroupNotFound", "DescribeDBClusterParameters",
                        new String[]{"DBClusterParameterGroupName", "nope"}),
                new Bad("InvalidParameterValue", "DescribeDBClusterParameters",
                        new String[]{"DBClusterParameterGroupName", "web", "Source", "mine"}),
                new Bad("MissingParameter", "DescribeDBClusterParameters", new String[]{}),
                new Bad("MissingParameter", "ModifyDBClusterParameterGroup", new String[]{"DBClusterParameterGroupName", "web"}),
                new Bad("MissingParameter", "ModifyDBClusterParameterGroup", new String[]{"DBClusterParameterGroupName", "web",
                        m + "ParameterName", "work_mem"}),
                new Bad("DBParameterGroupNotFound", "ModifyDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "nope", m + "ParameterName", "work_mem", m + "ParameterValue", "1024"}),
                new Bad("InvalidDBParameterGroupState", "ModifyDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "default.postgres15", m + "ParameterName", "work_mem",
                        m + "ParameterValue", "1024"}),
                new Bad("InvalidDBParameterGroupState", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "default.postgres15", "ResetAllParameters", "true"}),
                new Bad("InvalidDBParameterGroupState", "DeleteDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "default.postgres15"}),
                new Bad("InvalidParameterCombination", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "web"}),
                new Bad("InvalidParameterCombination", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "web", "ResetAllParameters", "true", m + "ParameterName", "work_mem"}),
                new Bad("InvalidParameterValue", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "web", m + "ParameterName", "no_such_thing"}),
                new Bad("DBParameterGroupNotFound", "DeleteDBClusterParameterGroup",
                        new String[]{"DBClusterParameterGroupName", "nope"})));
        String[][] badModifies = {
                {"InvalidParameterValue", "no_such_thing", "1", "immediate"},
                {"InvalidParameterValue", "work_mem", "lots", "immediate"},
                {"InvalidParameterValue", "work_mem", "63", "immediate"},
                {"InvalidParameterValue", "work_mem", "2147483648", "immediate"},
                {"InvalidParameterValue", "random_page_cost", "-1", "immediate"},
                {"InvalidParameterValue", "random_page_cost", "cheap", "immediate"},
                {"InvalidParameterValue", "enable_seqscan", "maybe", "immediate"},
                {"InvalidParameterValue", "log_min_messages", "very loud", "immediate"},
                {"InvalidParameterValue", "log_min_messages", "loud", "immediate"},
                {"InvalidParameterValue", "work_mem", "1024", "later"},
                {"InvalidParameterValue", "wal_level", "logical", "pending-reboot"},
                {"InvalidParameterValue", "synchronous_standby_names", "*", "immediate"},
                {"InvalidParameterValue", "port", "5433", "pending-reboot"},
                {"InvalidParameterValue", "block_size", "4096", "pending-reboot"},
                {"InvalidParameterCombination", "shared_buffers", "256MB", "immediate"},
                {"InvalidParameterCombination", "max_connections", "200", "immediate"}};
        for (String[] b : badModifies) {
            // a valid first parameter shows that a bad second one leaves the first unwritten too
            table.add(new Bad(b[0], "ModifyDBClusterParameterGroup", new String[]{"DBClusterParameterGroupName", "web",
                    m + "ParameterName", "work_mem", m + "ParameterValue", "9999", m + "ApplyMethod", "immediate",
                    "Parameters.Parameter.2.ParameterName", b[1], "Parameters.Parameter.2.ParameterValue", b[2],
                    "Parameters.Parameter.2.ApplyMethod", b[3]}));
        }
        String[] tooMany = {"DBClusterParameterGroupName", "web"};
        for (int i = 1; i <= 21; i++) {
            tooMany = concat(tooMany, new String[]{"Parameters.Parameter." + i + ".ParameterName", "work_mem",
                    "Parameters.Parameter." + i + ".ParameterValue", "1024"});
        }
        table.add(new Bad("InvalidParameterValue", "ModifyDBClusterParameterGroup", tooMany));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call(bad.action(), bad.params())).as("%s %s", bad.action(), List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.records.parameterGroups().list()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("web");
            assertThat(g.parameters()).containsExactly(Map.entry("work_mem", new io.multiaz.model.ParameterGroup.Setting(
                    "4096", io.multiaz.model.ParameterGroup.ApplyMethod.IMMEDIATE)));
        });
    }

    @Test
    void modifyParameterGroup_valueSpanningLines_refusedAndNothingStored() {
        // regression, issue 21: such a value was stored, then every agent refused to write it into
        // postgresql.conf ("value ... spans lines") and the servers silently kept their old settings
        createParameterGroup("web");
        modify("web", "work_mem", "4096", "immediate");
        List<String> values = List.of("x'\narchive_command = 'rm -rf /'\n#", "%m\r", "a\u0000b", "%m\t[%p]",
                "bell\u0007", "del\u007f", "next\u0085line", "\uFFFE");
        for (String value : values) {
            for (String parameter : List.of("log_line_prefix", "work_mem", "enable_seqscan", "log_min_messages")) {
                assertThatThrownBy(() -> modify("web", parameter, value, "immediate")).as("%s = %s", parameter, value)
                        .isInstanceOfSatisfying(ApiException.class, e -> {
                            assertThat(e.code()).isEqualTo("InvalidParameterValue");
                            assertThat(e.getMessage()).contains("parameter " + parameter, "one line of postgresql.conf");
                        });
            }
        }
        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters()).containsOnlyKeys("work_mem");
    }

    @Test
    void modifyParameterGroup_valueTheServerRefuses_invalidParameterValueWithItsWordsAndNothingStored() {
        // finding F7 of the API fuzzer (issue 21): DateStyle 'on' was stored, then every reload refused it
        createParameterGroup("web");
        backend.refusedValues.put("datestyle=on", "invalid value for parameter \"DateStyle\": \"on\" "
                + "Unrecognized key word: \"on\".");

        assertThatThrownBy(() -> modify("web", "DateStyle", "on", "immediate"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterValue");
                    assertThat(e.getMessage()).contains("PostgreSQL refuses value on for parameter datestyle",
                            "Unrecognized key word", "Give a value it takes");
                });
        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters()).isEmpty();
        modify("web", "DateStyle", "ISO, MDY", "immediate");
        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters()).containsOnlyKeys(
                "datestyle");
    }

    @Test
    void modifyParameterGroup_quotesAndUnicodeOnOneLine_storedAsGiven() {
        createParameterGroup("web");

        modify("web", "log_line_prefix", "it's %m \u00e9\u4e2d\uD83D\uDE00", "immediate");

        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters().get("log_line_prefix")
                .value()).isEqualTo("it's %m \u00e9\u4e2d\uD83D\uDE00");
    }

    @Test
    void modifyParameterGroup_mixedCaseParameterNames_acceptedAndKeptInLowerCase() {
        // regression, issue 21 (found while fuzzing): DateStyle, IntervalStyle and TimeZone were refused as
        // "not a PostgreSQL parameter of this server"
        createParameterGroup("web");

        modify("web", "DateStyle", "ISO, DMY", "immediate", "timezone", "UTC", "immediate", "INTERVALSTYLE",
                "iso_8601", "immediate");

        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters())
                .containsOnlyKeys("datestyle", "timezone", "intervalstyle");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "web", "Source", "user"))
                .contains("<ParameterName>datestyle</ParameterName><ParameterValue>ISO, DMY</ParameterValue>",
                        "<ParameterName>timezone</ParameterName><ParameterValue>UTC</ParameterValue>");
        call("ResetDBClusterParameterGroup", "DBClusterParameterGroupName", "web",
                "Parameters.Parameter.1.ParameterName", "TimeZone");
        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters())
                .containsOnlyKeys("datestyle", "intervalstyle");
    }

    @Test
    void modifyParameterGroup_unitsAndPostgresSpellings_accepted() {
        createParameterGroup("web");

        modify("web", "work_mem", "64MB", "immediate", "statement_timeout", "5min", "immediate",
                "enable_seqscan", "FALSE", "immediate", "log_min_messages", "WARNING", "immediate",
                "search_path", "\"$user\", public", "immediate", "max_connections", "200", "pending-reboot");

        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters()).containsOnlyKeys("work_mem",
                "statement_timeout", "enable_seqscan", "log_min_messages", "search_path", "max_connections");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
