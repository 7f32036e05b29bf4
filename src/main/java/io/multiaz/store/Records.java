package io.multiaz.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A repository of one kind of record, each stored under a name that is unique within it: created
 * once (whoever creates a name first owns it), read by name, listed in name order (whole or by
 * pages), changed by compare-and-set and deleted. Names become path segments of the store, so they
 * must be non-empty and free of {@code '/'} (an {@link IllegalArgumentException} otherwise).
 *
 * <p>Every method may throw {@link StoreException} when the store cannot be reached or holds a
 * record it cannot read; callers handle that one type. Implementations are thread-safe and may be
 * used by several agents on one store at once: the compare-and-set makes concurrent changes of one
 * record serial, never lost.
 *
 * @param <T> the record type, an immutable value with {@code equals}
 */
public interface Records<T> {
    /**
     * Stores {@code record} under {@code name} unless a record of that name exists.
     *
     * @return false when the name is taken (nothing written)
     */
    boolean create(String name, T record);

    /** The record {@code name}, if stored. */
    Optional<T> get(String name);

    /** Every stored record, in name order. */
    List<T> list();

    /**
     * At most {@code limit} records whose names sort after {@code after} (null: from the first), in
     * name order, and the marker of the page after them. A record created or deleted between two
     * pages is on a later page or on none, never twice.
     */
    Page<T> list(String after, int limit);

    /**
     * Replaces the record {@code name} with {@code change} applied to it, by compare-and-set:
     * {@code change} runs again on the newer record when another writer got in between, so it may
     * run more than once and must have no other effect. When it returns null or a record equal to
     * the current one nothing is written. Anything it throws propagates and leaves the record as it
     * was.
     *
     * @return the record stored afterwards; empty when there is no record {@code name}
     */
    Optional<T> update(String name, UnaryOperator<T> change);

    /**
     * Deletes the record {@code name}.
     *
     * @return false when there was none
     */
    boolean delete(String name);

    /**
     * One page of a listing.
     *
     * @param records the page's records, in name order
     * @param next    the name to pass as {@code after} for the next page; null on the last page
     */
    record Page<T>(List<T> records, String next) {
        public Page {
            records = List.copyOf(Objects.requireNonNull(records, "records"));
        }
    }

    /** Checks a page size: at least 1. */
    static int checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least 1 record, asked for " + limit);
        }
        return limit;
    }
}
