package io.multiaz.fuzz;

/** Text shown in reports: control characters made visible, long values shortened. Static. */
final class Text {
    private Text() {
    }

    /** {@code value} with control characters as {@code \u000A}, cut to {@code max} characters with its length noted. */
    static String visible(String value, int max) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(max).forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (value.codePointCount(0, value.length()) > max) {
            out.append("…(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
