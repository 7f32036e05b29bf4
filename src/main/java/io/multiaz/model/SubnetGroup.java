package io.multiaz.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A DB subnet group as {@code CreateDBSubnetGroup} recorded it: its (lower-case) name, description
 * and subnets, each with the availability zone it was placed in.
 */
public record SubnetGroup(String name, String description, List<Subnet> subnets, Instant createdAt) {
    public SubnetGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        subnets = List.copyOf(subnets);
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("subnet group " + name + " needs at least one subnet");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** One subnet of a group and the zone it stands for. */
    public record Subnet(String id, String availabilityZone) {
        public Subnet {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(availabilityZone, "availabilityZone");
        }
    }
}
