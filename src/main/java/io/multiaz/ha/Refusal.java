package io.multiaz.ha;

/**
 * What a {@link Decision} refuses to do although the cluster expects it of me, so that the agent can
 * record the refusal as what it is without reading the reason. A refusal is always a decision to do
 * nothing ({@link Action.NoAction}); its reason says why and what would lift it.
 */
public enum Refusal {
    /**
     * I will not take the writer lease to promote: a standby that may hold acknowledged commits I lack
     * is unreachable, or the operator's failover to me would lose commits another standby holds.
     */
    PROMOTION,
    /**
     * I will not start as writer of the cluster I am bootstrapping: the fencing record names another
     * writer.
     */
    WRITER_START
}
