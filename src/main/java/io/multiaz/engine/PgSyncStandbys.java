package io.multiaz.engine;

import io.multiaz.model.SyncStandbys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes the writer wait for its standbys: one physical replication slot per standby (created with
 * WAL reserved at once, so nothing a standby needs is recycled before it connects), and
 * {@code synchronous_standby_names} written into postgresql.conf (never ALTER SYSTEM, so the
 * configuration stays in one file multiaz owns) followed by a reload. Returns once the running
 * server reports the new value, so the caller knows commits wait for the new quorum.
 *
 * <p>Thread safety: not thread-safe; one call at a time per instance. Slots are created before the
 * setting changes, so a standby named in it always has a slot to stream from.
 */
final class PgSyncStandbys {
    private static final Logger log = LoggerFactory.getLogger(PgSyncStandbys.class);
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern STANDBY_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");
    private static final int RELOAD_POLLS = 100;
    private static final long RELOAD_POLL_MILLIS = 50;

    private final EngineSettings settings;
    private final PgConnector connector;
    private final PgConfigWriter config;

    PgSyncStandbys(EngineSettings settings, PgConnector connector, PgConfigWriter config) {
        this.settings = settings;
        this.connector = connector;
        this.config = config;
    }

    /**
     * Ensures the slots exist and sets {@code ANY quorum (standbyNames)}; idempotent.
     *
     * @throws EngineException when the server is not a running primary or rejects the setting
     */
    void configure(int quorum, List<String> standbyNames, List<String> standbySlots) {
        standbyNames.forEach(PgSyncStandbys::checkStandbyName);
        String names = SyncStandbys.format(quorum, standbyNames);
        String me = settings.instance().name();
        try (Connection c = connector.open("postgres", PgConnector.ADMIN_TIMEOUT)) {
            if (inRecovery(c)) {
                throw new EngineException(me + " is a standby; configureWriter() applies to the writer only: "
                        + "promote it first");
            }
            ensureSlots(c, standbySlots);
            config.write(settings.dataDir(), PgServerConfig.primary(names));
            try (PreparedStatement st = c.prepareStatement("SELECT pg_reload_conf()")) {
                st.execute();
            }
            awaitSetting(c, names);
            log.info("{} waits for synchronous standbys '{}'", me, names);
            dropOtherSlots(c, standbySlots);
        } catch (SQLException e) {
            throw new EngineException("configuring synchronous standbys on " + me + " failed: " + e.getMessage()
                    + "; check that it runs and accepts connections at " + connector.address() + ", then retry", e);
        }
    }

    /** Creates each missing physical slot with WAL reserved; existing slots are left as they are. */
    static void ensureSlots(Connection c, List<String> slots) throws SQLException {
        String sql = """
                SELECT pg_create_physical_replication_slot(?, true)
                 WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)""";
        for (String slot : slots) {
            if (!SLOT.matcher(slot).matches()) {
                throw new EngineException("'" + slot + "' is not a valid replication slot name (a-z, 0-9, _); "
                        + "derive it with InstanceSpec.slotName()");
            }
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, slot);
                st.setString(2, slot);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        log.info("created physical replication slot {}", slot);
                    }
                }
            }
        }
    }

    /**
     * Drops every permanent physical slot not in {@code keep} (temporary ones belong to sessions,
     * such as pg_basebackup cloning a new standby): the slots of instances that left the cluster,
     * which would otherwise keep WAL forever. A slot still in use (the instance is being stopped)
     * has its walsender terminated first; the drop waits briefly for it to let go.
     */
    private void dropOtherSlots(Connection c, List<String> keep) throws SQLException {
        for (String slot : physicalSlots(c)) {
            if (keep.contains(slot)) {
                continue;
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots
                     WHERE slot_name = ? AND active_pid IS NOT NULL""")) {
                st.setString(1, slot);
                st.executeQuery().close();
            }
            awaitInactive(c, slot);
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?""")) {
                st.setString(1, slot);
                st.executeQuery().close();
            }
            log.info("dropped physical replication slot {}: no instance of the cluster uses it", slot);
        }
    }

    private static List<String> physicalSlots(Connection c) throws SQLException {
        List<String> slots = new java.util.ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical' AND NOT temporary");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
        }
        return slots;
    }

    /** Waits until no walsender holds {@code slot}; a terminated one lets go within milliseconds. */
    private void awaitInactive(Connection c, String slot) throws SQLException {
        for (int i = 0; i < RELOAD_POLLS; i++) {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
                st.setString(1, slot);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                }
            }
            sleep();
        }
        throw new EngineException("replication slot " + slot + " is still in use after its walsender was "
                + "terminated; the writer drops it on a later cycle (a standby that left the cluster keeps "
                + "reconnecting: stop it)");
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_is_in_recovery()"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Waits until this session sees {@code expected}: every backend re-reads the file on SIGHUP. */
    private void awaitSetting(Connection c, String expected) throws SQLException {
        String seen = null;
        for (int i = 0; i < RELOAD_POLLS; i++) {
            try (PreparedStatement st = c.prepareStatement("SELECT current_setting('synchronous_standby_names')");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                seen = rs.getString(1);
            }
            if (expected.equals(seen)) {
                return;
            }
            sleep();
        }
        throw new EngineException(settings.instance().name() + " still reports synchronous_standby_names '" + seen
                + "' instead of '" + expected + "' after a reload; see " + settings.logFile()
                + " for why the server rejected it");
    }

    private static void sleep() {
        try {
            Thread.sleep(RELOAD_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for a configuration reload (the agent is "
                    + "shutting down); call configureWriter() again", e);
        }
    }

    private static void checkStandbyName(String name) {
        if (!STANDBY_NAME.matcher(name).matches()) {
            throw new EngineException("'" + name + "' cannot be a synchronous standby name (letters, digits, "
                    + "'_', '.', '-'); use the instance name");
        }
    }
}
