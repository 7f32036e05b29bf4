package io.multiaz.backup;

import java.util.Arrays;

/** The kinds of backup set pgBackRest takes, by the word its {@code --type} option and its JSON use. */
public enum BackupType {
    /** Every file of the cluster. */
    FULL("full"),
    /** Files changed since the last full backup. */
    DIFF("diff"),
    /** Files changed since the last backup of any type. */
    INCR("incr");

    private final String word;

    BackupType(String word) {
        this.word = word;
    }

    /** The word pgBackRest uses: {@code full}, {@code diff} or {@code incr}. */
    public String word() {
        return word;
    }

    /** The type named {@code word} in pgBackRest's output; IllegalArgumentException naming it otherwise. */
    public static BackupType of(String word) {
        return Arrays.stream(values()).filter(t -> t.word.equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a pgBackRest backup type: " + word));
    }

    @Override
    public String toString() {
        return word;
    }
}
