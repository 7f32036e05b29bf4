package io.multiaz.store;

/** The in-memory repositories pass the same contract as the ZooKeeper ones ({@link ZkRecordsTest}). */
final class InMemoryRecordsTest implements RecordsContract {
    private final InMemoryEnsemble ensemble = new InMemoryEnsemble();

    @Override
    public RdsRecords records() {
        return ensemble.records();
    }
}
