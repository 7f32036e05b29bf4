package io.multiaz.model;

import java.util.List;

/** Renders {@code synchronous_standby_names} the one way the writer sets it and the HA loop expects it. */
public final class SyncStandbys {
    private SyncStandbys() {
    }

    /** What {@code writer} of {@code spec} sets: every other instance of the cluster, with the cluster's quorum. */
    public static String ofWriter(ClusterSpec spec, String writer) {
        return format(spec.syncQuorum(), spec.others(writer).stream().map(InstanceSpec::name).toList());
    }

    /** {@code ANY quorum ("a", "b")}, or the empty string (asynchronous) when quorum or names are empty. */
    public static String format(int quorum, List<String> standbyNames) {
        if (quorum == 0 || standbyNames.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("ANY ").append(quorum).append(" (");
        for (int i = 0; i < standbyNames.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(standbyNames.get(i)).append('"');
        }
        return sb.append(')').toString();
    }
}
