package io.multiaz.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AddTagsToResource, ListTagsForResource and RemoveTagsFromResource over the in-memory repositories. */
final class RdsTagsTest {
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = backend.actions();

    private String call(String action, String... params) {
        return FixedBackend.call(actions, action, params);
    }

    private static final String CLUSTER_ARN = "arn:aws:rds:local-1:000000000000:cluster:demo";
    private static final String DB2_ARN = "arn:aws:rds:local-1:000000000000:db:demo-2";

    @Test
    void tags_addListRemove_shownInDescribe() {
        assertThat(call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "env",
                "Tags.Tag.1.Value", "prod", "Tags.Tag.2.Key", "team", "Tags.Tag.2.Value", "db"))
                .contains("<AddTagsToResourceResponse", "<RequestId>req-1</RequestId>")
                .doesNotContain("Result");
        call("AddTagsToResource", "ResourceName", DB2_ARN, "Tags.Tag.1.Key", "role", "Tags.Tag.1.Value", "reader");
        call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "env", "Tags.Tag.1.Value", "staging");

        assertThat(call("ListTagsForResource", "ResourceName", CLUSTER_ARN)).contains("<ListTagsForResourceResult>"
                + "<TagList><Tag><Key>env</Key><Value>staging</Value></Tag><Tag><Key>team</Key><Value>db</Value></Tag>"
                + "</TagList></ListTagsForResourceResult>");
        assertThat(call("DescribeDBClusters")).contains("<TagList><Tag><Key>env</Key><Value>staging</Value></Tag>");
        assertThat(call("DescribeDBInstances", "DBInstanceIdentifier", "demo-2"))
                .contains("<TagList><Tag><Key>role</Key><Value>reader</Value></Tag></TagList>");
        assertThat(call("DescribeDBInstances", "DBInstanceIdentifier", "demo-1")).contains("<TagList></TagList>");

        assertThat(call("RemoveTagsFromResource", "ResourceName", CLUSTER_ARN, "TagKeys.member.1", "env",
                "TagKeys.member.2", "absent")).contains("<RemoveTagsFromResourceResponse").doesNotContain("Result");
        assertThat(backend.records.tags().get("demo", "cluster")).containsExactly(Map.entry("team", "db"));
        assertThat(backend.records.tags().get("demo", "db:demo-2")).containsExactly(Map.entry("role", "reader"));
    }

    @Test
    void tags_fiftyAtMost_theFiftyFirstRefusedAndNothingAdded() {
        List<String> params = new ArrayList<>(List.of("ResourceName", CLUSTER_ARN));
        for (int i = 1; i <= 50; i++) {
            params.addAll(List.of("Tags.Tag." + i + ".Key", "k" + i, "Tags.Tag." + i + ".Value", "v"));
        }
        call("AddTagsToResource", params.toArray(String[]::new));
        assertThatThrownBy(() -> call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "k51",
                "Tags.Tag.1.Value", "v")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "k1", "Tags.Tag.1.Value", "w");
        assertThat(backend.records.tags().get("demo", "cluster")).hasSize(50).containsEntry("k1", "w")
                .doesNotContainKey("k51");
    }

    @Test
    void tags_badInputs_refusedAndNothingChanged() {
        call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "env", "Tags.Tag.1.Value", "prod");
        record Bad(String code, String action, String[] params) {
        }
        String longKey = "k".repeat(129);
        String longValue = "v".repeat(257);
        List<Bad> table = List.of(
                new Bad("MissingParameter", "ListTagsForResource", new String[]{}),
                new Bad("InvalidParameterValue", "ListTagsForResource", new String[]{"ResourceName", "demo"}),
                new Bad("InvalidParameterValue", "ListTagsForResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:snapshot:s1"}),
                new Bad("DBClusterNotFoundFault", "ListTagsForResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:cluster:other"}),
                new Bad("DBInstanceNotFound", "AddTagsToResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:db:demo-9", "Tags.Tag.1.Key", "a", "Tags.Tag.1.Value", "b"}),
                new Bad("DBClusterNotFoundFault", "AddTagsToResource", new String[]{"ResourceName",
                        "arn:aws:rds:eu-west-1:000000000000:cluster:demo", "Tags.Tag.1.Key", "a"}),
                new Bad("MissingParameter", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", longKey}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", "ok", "Tags.Tag.2.Key", "env", "Tags.Tag.2.Value", longValue}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", "aws:owner", "Tags.Tag.1.Value", "x"}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", "semi;colon"}),
                new Bad("MissingParameter", "RemoveTagsFromResource", new String[]{"ResourceName", CLUSTER_ARN}),
                new Bad("DBInstanceNotFound", "RemoveTagsFromResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:db:nope", "TagKeys.member.1", "env"}));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call(bad.action(), bad.params())).as("%s %s", bad.action(), List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.records.tags().get("demo", "cluster")).containsExactly(Map.entry("env", "prod"));
        assertThat(backend.records.tags().get("demo", "db:demo-9")).isEmpty();
    }
}
