package io.multiaz.cli;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;

/** libpq connection URIs for the master user, which psql accepts as they are. */
final class Dsn {
    private Dsn() {
    }

    static String of(ClusterSpec spec, String instance) {
        InstanceSpec i = spec.instance(instance).orElseThrow();
        Credentials c = spec.credentials();
        // generated passwords are alphanumeric, so no percent-encoding is needed
        return "postgresql://" + c.masterUser() + ":" + c.masterPassword() + "@" + i.host() + ":" + i.port() + "/"
                + spec.databaseName();
    }
}
