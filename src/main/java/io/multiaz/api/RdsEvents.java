package io.multiaz.api;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code DescribeEvents} over the cluster's kept events ({@code multiaz events}): selection by
 * source, time window and category, paging, and the mapping of our event kinds to RDS's.
 *
 * <p>Source: an event naming an instance is a {@code db-instance} event of that instance, except
 * the cluster-wide kinds ({@link EventType#clusterWide()}: the operator's requests, pause and resume)
 * and events naming no instance, which are {@code db-cluster} events of the cluster. The category is
 * the one the event's {@link EventType} carries.
 *
 * <p>Window: {@code EndTime} (default now) back {@code Duration} minutes (default 60, as RDS) or
 * from {@code StartTime}; {@code StartTime} with {@code Duration} and no {@code EndTime} ends
 * {@code Duration} minutes after the start. {@code Marker} is {@code <offset>@<now of the first
 * page>}, so a window relative to now stays where the first page put it while the caller pages
 * (events come oldest first, new ones after the window's end). Stateless; safe for concurrent requests.
 */
final class RdsEvents {
    static final Set<String> SOURCE_TYPES = Set.of("db-instance", "db-parameter-group", "db-security-group",
            "db-snapshot", "db-cluster", "db-cluster-snapshot", "custom-engine-version", "db-proxy",
            "blue-green-deployment");
    /** RDS keeps events 14 days; a longer Duration is refused as RDS refuses it. */
    private static final int MAX_DURATION_MINUTES = 20_160;
    private static final int DEFAULT_DURATION_MINUTES = 60;
    private static final int DEFAULT_MAX_RECORDS = 100;

    /** One event as RDS shows it. */
    record Event(String sourceIdentifier, String sourceType, String message, String category, Instant date,
                 String sourceArn) {
    }

    private RdsEvents() {
    }

    /** {@code e} of cluster {@code cluster} as RDS shows it, its source as the class comment says. */
    static Event of(ClusterEvent e, String cluster, String region) {
        String category = e.type().category().toString();
        return e.instance() == null || e.type().clusterWide()
                ? new Event(cluster, "db-cluster", e.message(), category, e.at(), RdsShapes.clusterArn(region, cluster))
                : new Event(e.instance(), "db-instance", e.message(), category, e.at(),
                RdsShapes.instanceArn(region, e.instance()));
    }

    /** The answer to {@code DescribeEvents} {@code q} over {@code events} (oldest first) of {@code cluster}. */
    static String answer(QueryRequest q, String requestId, List<ClusterEvent> events, String cluster, String region,
                         Clock clock) {
        return answer(q, requestId, java.util.Map.of(cluster, events), region, clock);
    }

    /** The answer to {@code DescribeEvents} {@code q} over the events of several clusters, by cluster name. */
    static String answer(QueryRequest q, String requestId, java.util.Map<String, List<ClusterEvent>> byCluster,
                         String region, Clock clock) {
        int max = RdsActions.maxRecords(q, DEFAULT_MAX_RECORDS);
        Optional<Marker> marker = q.optionalString("Marker").map(RdsEvents::marker);
        Optional<String> sourceType = q.optionalString("SourceType");
        Optional<String> sourceId = q.optionalString("SourceIdentifier");
        if (sourceType.isPresent() && !SOURCE_TYPES.contains(sourceType.get())) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value " + sourceType.get()
                    + " for SourceType; use one of " + SOURCE_TYPES.stream().sorted().toList() + ".");
        }
        if (sourceId.isPresent() && sourceType.isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, "SourceIdentifier " + sourceId.get()
                    + " needs SourceType too, e.g. SourceType=db-cluster or db-instance.");
        }
        if (!q.filters().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "DescribeEvents does not support Filters"
                    + " (RDS does not either); use SourceType, SourceIdentifier and EventCategories.");
        }
        // a later page keeps the first page's "now", so a default window does not slide between pages
        Instant now = marker.map(Marker::now).orElseGet(clock::instant);
        Instant[] window = window(q, now);
        int offset = marker.map(Marker::offset).orElse(0);
        Set<String> categories = Set.copyOf(q.list("EventCategories", "EventCategory"));
        List<Event> selected = byCluster.entrySet().stream()
                .flatMap(c -> c.getValue().stream().map(e -> of(e, c.getKey(), region)))
                .sorted(java.util.Comparator.comparing(Event::date))
                .filter(e -> sourceType.map(e.sourceType()::equals).orElse(true))
                .filter(e -> sourceId.map(id -> id.equals(e.sourceIdentifier()) || id.equals(e.sourceArn()))
                        .orElse(true))
                .filter(e -> !e.date().isBefore(window[0]) && !e.date().isAfter(window[1]))
                .filter(e -> categories.isEmpty() || categories.contains(e.category()))
                .toList();
        int from = Math.min(offset, selected.size());
        int to = Math.min(from + max, selected.size());
        List<Event> page = selected.subList(from, to);
        String next = to < selected.size() ? to + "@" + now.toEpochMilli() : null;
        return RdsXml.success(q.action(), requestId, result -> result
                .text("Marker", next)
                .list("Events", "Event", page, (x, e) -> x
                        .text("SourceIdentifier", e.sourceIdentifier())
                        .text("SourceType", e.sourceType())
                        .text("Message", e.message())
                        .strings("EventCategories", "EventCategory", List.of(e.category()))
                        .time("Date", e.date())
                        .text("SourceArn", e.sourceArn())));
    }

    /** Where the next page starts: the offset into the selection and the "now" of the first page. */
    private record Marker(int offset, Instant now) {
    }

    /** A marker this class handed out ({@code <offset>@<epoch millis>}); {@code InvalidParameterValue} otherwise. */
    private static Marker marker(String value) {
        int at = value.indexOf('@');
        try {
            int offset = Integer.parseInt(value.substring(0, Math.max(at, 0)));
            long millis = Long.parseLong(value.substring(at + 1));
            if (offset >= 0 && millis >= 0) {
                return new Marker(offset, Instant.ofEpochMilli(millis));
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // answered below: a marker DescribeEvents did not hand out
        }
        throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The marker " + value + " is not one DescribeEvents"
                + " returned; call again without Marker to start from the first page.");
    }

    /** [start, end] of the events asked for, as the class comment says. */
    private static Instant[] window(QueryRequest q, Instant now) {
        Optional<Instant> start = q.optionalString("StartTime").map(v -> time("StartTime", v));
        Optional<Instant> end = q.optionalString("EndTime").map(v -> time("EndTime", v));
        OptionalInt minutes = q.optionalInteger("Duration");
        if (minutes.isPresent() && (minutes.getAsInt() < 0 || minutes.getAsInt() > MAX_DURATION_MINUTES)) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value " + minutes.getAsInt()
                    + " for Duration: it must be 0 to " + MAX_DURATION_MINUTES + " minutes (14 days).");
        }
        Duration length = Duration.ofMinutes(minutes.orElse(DEFAULT_DURATION_MINUTES));
        Instant to = end.orElseGet(() -> start.isPresent() && minutes.isPresent() ? start.get().plus(length) : now);
        Instant from = start.orElseGet(() -> to.minus(length));
        if (from.isAfter(to)) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, "StartTime " + from
                    + " is after EndTime " + to + "; give a StartTime before the EndTime.");
        }
        return new Instant[]{from, to};
    }

    /** An ISO 8601 time as the CLI and SDKs send it, e.g. {@code 2024-01-31T23:59:59Z} or {@code 2009-07-08T18:00Z}. */
    private static Instant time(String name, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(value));
            } catch (NumberFormatException | DateTimeException ignored) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value '" + value + "' for " + name
                        + ": give an ISO 8601 time such as 2024-01-31T23:59:59Z.");
            }
        }
    }
}
