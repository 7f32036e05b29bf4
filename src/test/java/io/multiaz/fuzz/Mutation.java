package io.multiaz.fuzz;

import io.multiaz.fuzz.FuzzRequest.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fuzzer does to a generated call: each mutation takes one pair (or the call's shape) and
 * breaks it the way clients and attackers do. Values that name resources are only ever derived from
 * the value already there (upper-cased, wrapped in an ARN, cut), never replaced by another
 * resource's name: so a target's pools alone decide what a destructive call can reach.
 * Deterministic for a given {@link Random}.
 */
enum Mutation {
    /** One pair left out, or every pair of one member. */
    MISSING {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            if (req.params().isEmpty()) {
                return req.withParams(req.params(), "missing(nothing to drop)");
            }
            Param p = pick(req.params(), r);
            String member = p.name().split("\\.", 2)[0];
            boolean whole = r.nextBoolean();
            List<Param> rest = new ArrayList<>(req.params().stream()
                    .filter(q -> whole ? !q.name().split("\\.", 2)[0].equals(member) : q != p).toList());
            return req.withParams(rest, "missing(" + (whole ? member : p.name()) + ")");
        }
    },
    /** A value sent empty or blank, or a list sent as the CLI sends an empty one ({@code Prefix=}). */
    EMPTY {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            if (req.params().isEmpty()) {
                return add(req, new Param("Marker", "", null), "empty(Marker)");
            }
            Param p = pick(req.params(), r);
            if (p.name().contains(".") && r.nextBoolean()) {
                String list = listPrefix(p.name());
                List<Param> rest = new ArrayList<>(req.params().stream().filter(q -> !q.name().startsWith(list + ".")).toList());
                rest.add(new Param(list, "", null));
                return req.withParams(rest, "empty-list(" + list + ")");
            }
            return replace(req, p, p.withValue(oneOf(r, "", " ", "\u00a0", "\u3000")), "empty(" + p.name() + ")");
        }
    },
    /** One pair sent twice, with the same or another value. */
    DUPLICATED {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            Param p = req.params().isEmpty() ? new Param("Version", req.version(), null) : pick(req.params(), r);
            List<Param> more = new ArrayList<>(req.params());
            more.add(r.nextBoolean() ? p : p.withValue(p.value() + "2"));
            return req.withParams(more, "duplicated(" + p.name() + ")");
        }
    },
    /** A value of another type: words for numbers and booleans, numbers for strings, a list for a scalar and back. */
    WRONG_TYPE {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            if (req.params().isEmpty()) {
                return add(req, new Param("MaxRecords", "twenty", null), "wrong-type(MaxRecords)");
            }
            Param p = pick(req.params(), r);
            if (r.nextInt(4) == 0) {
                Param reshaped = p.name().contains(".") ? p.withName(listPrefix(p.name())) : p.withName(p.name() + ".member.1");
                return replace(req, p, reshaped, "wrong-shape(" + p.name() + " as " + reshaped.name() + ")");
            }
            String type = p.leaf() == null ? "string" : p.leaf().shape().type();
            String value = switch (type) {
                case "integer", "long" -> oneOf(r, "abc", "1.5", "true", "1e3", "[1]", "0x1A", "١٢");
                case "boolean" -> oneOf(r, "yes", "1", "on", "TRUE ", "null", "t", "Falsch");
                case "timestamp" -> oneOf(r, "yesterday", "2024-13-45T00:00:00Z", "2024-01-01", "12:00",
                        "2024-02-30T00:00:00Z", "2024-01-01T00:00:00+25:00");
                default -> oneOf(r, "123", "true", "{\"a\":1}", "<x/>", "null", "[]", "-1");
            };
            return replace(req, p, p.withValue(value), "wrong-type(" + p.name() + ")");
        }
    },
    /** A value at and over the length limit, a list of 150 members, a body over 1 MiB, or over 1,000 pairs. */
    HUGE {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            Param p = req.params().isEmpty() ? new Param("Marker", "m", null) : pick(req.params(), r);
            int kind = r.nextInt(20);
            if (kind == 0) {
                return replace(req, p, p.withValue("h".repeat(1_100_000)), "huge-body(" + p.name() + ")");
            }
            if (kind == 1) {
                List<Param> more = new ArrayList<>(req.params());
                for (int i = 0; i < 1_100; i++) {
                    more.add(new Param("FzPad" + i, "x", null));
                }
                return req.withParams(more, "huge-count(1100 pairs)");
            }
            if (kind < 5) {
                String list = p.name().contains(".") ? listPrefix(p.name()) + "." + memberName(p.name()) : "Tags.Tag";
                List<Param> more = new ArrayList<>(req.params());
                boolean struct = list.equals("Tags.Tag") || structured(p.name());
                for (int i = 1; i <= 150; i++) {
                    more.add(new Param(list + "." + i + (struct ? "." + lastField(p.name(), "Key") : ""), "v" + i, p.leaf()));
                }
                return req.withParams(dedupe(more), "huge-list(" + list + ")");
            }
            int length = oneOfInt(r, 4096, 4097, 8192, 65_536, 300_000);
            String unit = oneOf(r, "a", "é", "中", "\uD83D\uDE00", "%");
            String value = unit.repeat(Math.max(1, length / unit.length()));
            return replace(req, p, p.withValue(value), "huge(" + p.name() + ", " + value.length() + " chars)");
        }
    },
    /** Letters, marks and symbols outside ASCII: astral planes, combining marks, bidi controls, zero-width, case traps. */
    UNICODE {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            Param p = req.params().isEmpty() ? new Param("Marker", "m", null) : pick(req.params(), r);
            String odd = oneOf(r, "é", "中文", "\uD83D\uDE00", "e\u0301", "\u202Edemo", "\u200B", "\uFEFF", "\uE000",
                    "\u2028", "\u00A0", "Ω", "ß", "İ", "ǅ", "ｄｅｍｏ", "٣", "\uD835\uDFD9", "\uDB40\uDC01", "\uFFFD", "ﬀ");
            String value = switch (r.nextInt(3)) {
                case 0 -> odd;
                case 1 -> p.value() + odd;
                default -> odd + p.value();
            };
            return replace(req, p, p.withValue(value), "unicode(" + p.name() + ")");
        }
    },
    /** A control character in a value (or, now and then, in a name): line breaks, NUL, tab, escape, DEL, C1. */
    CONTROL {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            Param p = req.params().isEmpty() ? new Param("Marker", "m", null) : pick(req.params(), r);
            String c = oneOf(r, "\n", "\r", "\r\n", "\u0000", "\t", "\u0001", "\u001b", "\u007f", "\u0085", "\u009b",
                    "x'\narchive_command = 'true'\n#");
            if (r.nextInt(5) == 0) {
                return replace(req, p, p.withName(insert(p.name(), c, r)), "control-name(" + p.name() + ")");
            }
            return replace(req, p, p.withValue(insert(p.value(), c, r)), "control(" + p.name() + ")");
        }
    },
    /** Numbers out of every range, in every spelling parsers disagree on. */
    OUT_OF_RANGE {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            List<Param> numeric = req.params().stream().filter(typed("integer", "long", "timestamp")).toList();
            Param p = !numeric.isEmpty() ? pick(numeric, r)
                    : new Param(oneOf(r, "MaxRecords", "Duration", "BackupRetentionPeriod", "Port"), "1", null);
            boolean time = p.leaf() != null && p.leaf().shape().type().equals("timestamp");
            String value = time ? oneOf(r, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z",
                    "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "-9223372036854775808", "9223372036854775807",
                    "31556889864403199", "-31557014167219200", "+1000000000-01-01T00:00:00Z")
                    : oneOf(r, "-1", "0", "-2147483648", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                    "9223372036854775808", "1e309", "NaN", "Infinity", "+5", "05", " 5", "1_000", "٣",
                    "99999999999999999999999", "19", "101", "36", "65536");
            List<Param> params = new ArrayList<>(req.params());
            if (!params.remove(p)) {
                return add(req, p.withValue(value), "out-of-range(" + p.name() + "=" + value + ")");
            }
            params.add(p.withValue(value));
            return req.withParams(params, "out-of-range(" + p.name() + "=" + value + ")");
        }
    },
    /** A value outside an enum: another case, a near miss, a word. */
    UNKNOWN_ENUM {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            List<Param> enums = req.params().stream().filter(p -> p.leaf() != null
                    && !p.leaf().shape().enumValues().isEmpty()).toList();
            Param p = !enums.isEmpty() ? pick(enums, r) : req.params().isEmpty()
                    ? new Param("SourceType", "db-cluster", null) : pick(req.params(), r);
            String value = oneOf(r, p.value().toUpperCase(Locale.ROOT), p.value() + "x", "fz-unknown", p.value().replace('-', '_'),
                    " " + p.value(), "*");
            return replace(req, p, p.withValue(value), "unknown-enum(" + p.name() + "=" + value + ")");
        }
    },
    /** An ARN around the value there, broken in each of its parts. */
    MALFORMED_ARN {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            List<Param> names = req.params().stream().filter(p -> NAMING.matcher(p.name()).find()).toList();
            Param p = !names.isEmpty() ? pick(names, r) : new Param("ResourceName", "fz", null);
            String v = p.value();
            String type = oneOf(r, "cluster", "db", "cluster-snapshot", "cluster-pg", "subgrp", "es", "");
            String value = oneOf(r, "arn:", "arn:aws:rds", "arn:aws:rds:local-1:000000000000:" + type + ":",
                    "arn:aws:rds:local-1:000000000000:" + type + ":" + v,
                    "arn:aws:rds:other-1:000000000000:" + type + ":" + v,
                    "arn:aws:rds:local-1:12:" + type + ":" + v,
                    "arn:aws-cn:rds:local-1:000000000000:" + type + ":" + v,
                    "arn:aws:ec2:local-1:000000000000:" + type + ":" + v,
                    "arn:aws:rds:local-1:000000000000:" + type + ":" + v + ":extra",
                    "arn:aws:rds:local-1:000000000000:" + type + ":" + v + "/x",
                    "arn:aws:rds:local-1:000000000000:" + type + ":../" + v,
                    "arn:aws:rds:local-1:000000000000:" + type + ":" + v.toUpperCase(Locale.ROOT),
                    "ARN:AWS:RDS:LOCAL-1:000000000000:" + type.toUpperCase(Locale.ROOT) + ":" + v,
                    "arn:aws:rds:local-1:000000000000:" + type + ":" + "a".repeat(2000),
                    "arn:aws:rds:local-1:000000000000:" + type + "/" + v,
                    "arn:aws:rds:::" + type + ":" + v);
            return replace(req, p, p.withValue(value), "malformed-arn(" + p.name() + ")");
        }
    },
    /** A name that breaks paths and comparisons: slashes, dots, case, blanks, a character too many. */
    ODD_NAME {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            List<Param> names = req.params().stream().filter(p -> NAMING.matcher(p.name()).find()).toList();
            Param p = !names.isEmpty() ? pick(names, r) : new Param("DBClusterIdentifier", "fz", null);
            String v = p.value();
            String value = oneOf(r, v.toUpperCase(Locale.ROOT), " " + v, v + " ", v + "/x", "x/" + v, ".", "..", "/",
                    v + "-", "-" + v, v + "--x", v + "a".repeat(Math.max(0, 64 - v.length())),
                    v + "a".repeat(Math.max(0, 256 - v.length())), "1" + v, v + "_x", v.replace('-', '.'),
                    "zookeeper", "default", v + "\\", v + "'", v + "\"", v + "%2F", v + "*", v + "?");
            return replace(req, p, p.withValue(value), "odd-name(" + p.name() + "=" + Text.visible(value, 20) + ")");
        }
    },
    /** A list index that is not 1..N: zero, negative, padded, past the limit, past int, not a number. */
    BAD_INDEX {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            List<Param> listed = req.params().stream().filter(p -> INDEX.matcher(p.name()).find()).toList();
            String index = oneOf(r, "0", "-1", "01", "101", "2", "999999999", "2147483648", "a", "1.5", " 1", "");
            if (listed.isEmpty()) {
                return add(req, new Param("Tags.Tag." + index + ".Key", "k", null), "bad-index(Tags.Tag." + index + ")");
            }
            Param p = pick(listed, r);
            Matcher m = INDEX.matcher(p.name());
            String last = null;
            int at = -1;
            while (m.find()) {
                last = m.group();
                at = m.start();
            }
            String renamed = p.name().substring(0, at) + "." + index + p.name().substring(at + last.length());
            return replace(req, p, p.withName(renamed), "bad-index(" + renamed + ")");
        }
    },
    /** A pair the operation does not have: a made-up name, another operation's member, a lower-case Version. */
    UNKNOWN_MEMBER {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            Param extra = new Param(oneOf(r, "FzUnknown", "SkipFinalSnapshot", "ForceFailover", "version", "action",
                    "X-Amz-Fuzz", "DBClusterIdentifier.1", "Filters", "Tags", "ApplyImmediately", "NewDBClusterIdentifier"),
                    oneOf(r, "true", "x", "fz-new-1", ""), null);
            return add(req, extra, "unknown-member(" + extra.name() + ")");
        }
    },
    /** Text no encoder sends: a broken escape, bytes that are not UTF-8 (a surrogate, past U+10FFFF), an empty name. */
    BAD_ENCODING {
        @Override
        FuzzRequest apply(FuzzRequest req, Random r) {
            String tail = oneOf(r, "&Marker=%", "&Marker=%zz", "&Marker=%C3%28", "&Marker=%ED%A0%80",
                    "&Marker=%F4%90%80%80", "&%ZZ=1", "&=x", "&&&", "&Marker", "&Marker=a=b", "&Marker=%00",
                    "&%00=1", "&Marker=%C0%AF", "&Marker=%FF");
            return req.withRawTail(tail, "bad-encoding(" + tail + ")");
        }
    };

    /** Names of pairs that name resources (identifiers, names, ARNs). */
    static final Pattern NAMING = Pattern.compile("(Identifier|Name|Arn|ResourceName|Key|SubnetIdentifier)(\\.[0-9]+)?$");
    private static final Pattern INDEX = Pattern.compile("\\.[0-9]+(?=\\.|$)");

    abstract FuzzRequest apply(FuzzRequest req, Random r);

    private static Param pick(List<Param> params, Random r) {
        return params.get(r.nextInt(params.size()));
    }

    private static String oneOf(Random r, String... values) {
        return values[r.nextInt(values.length)];
    }

    private static int oneOfInt(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }

    private static Predicate<Param> typed(String... types) {
        return p -> p.leaf() != null && List.of(types).contains(p.leaf().shape().type());
    }

    private static FuzzRequest replace(FuzzRequest req, Param old, Param now, String mutation) {
        List<Param> params = new ArrayList<>(req.params());
        int i = params.indexOf(old);
        if (i < 0) {
            params.add(now);
        } else {
            params.set(i, now);
        }
        return req.withParams(params, mutation);
    }

    private static FuzzRequest add(FuzzRequest req, Param extra, String mutation) {
        List<Param> params = new ArrayList<>(req.params());
        params.add(extra);
        return req.withParams(params, mutation);
    }

    private static String insert(String text, String inserted, Random r) {
        int at = text.isEmpty() ? 0 : r.nextInt(text.length() + 1);
        if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))) {
            at--;
        }
        return text.substring(0, at) + inserted + text.substring(at);
    }

    /** {@code Tags} of {@code Tags.Tag.1.Key}: the name up to its first index, without the member name. */
    private static String listPrefix(String name) {
        Matcher m = INDEX.matcher(name);
        if (!m.find()) {
            return name;
        }
        String upTo = name.substring(0, m.start());
        int dot = upTo.lastIndexOf('.');
        return dot < 0 ? upTo : upTo.substring(0, dot);
    }

    /** {@code Tag} of {@code Tags.Tag.1.Key}. */
    private static String memberName(String name) {
        Matcher m = INDEX.matcher(name);
        if (!m.find()) {
            return "member";
        }
        String upTo = name.substring(0, m.start());
        return upTo.substring(upTo.lastIndexOf('.') + 1);
    }

    private static boolean structured(String name) {
        Matcher m = INDEX.matcher(name);
        return m.find() && m.end() < name.length();
    }

    private static String lastField(String name, String otherwise) {
        Matcher m = INDEX.matcher(name);
        return m.find() && m.end() < name.length() ? name.substring(m.end() + 1) : otherwise;
    }

    private static List<Param> dedupe(List<Param> params) {
        java.util.Map<String, Param> byName = new java.util.LinkedHashMap<>();
        params.forEach(p -> byName.putIfAbsent(p.name(), p));
        return new ArrayList<>(byName.values());
    }
}
