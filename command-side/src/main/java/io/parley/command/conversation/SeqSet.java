package io.parley.command.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.BitSet;

/**
 * A set of sequence numbers at one bit each: which seqs of the timeline are messages, which were deleted.
 * A conversation of a million events costs 125 KB here, where a set of boxed longs would cost ~50 MB.
 * Serialized as the bitset's words so snapshots (Jackson) carry it compactly.
 */
final class SeqSet {
    private final BitSet bits;

    SeqSet() {
        this.bits = new BitSet();
    }

    @JsonCreator
    SeqSet(@JsonProperty("words") long[] words) {
        this.bits = words == null ? new BitSet() : BitSet.valueOf(words);
    }

    @JsonProperty("words")
    long[] words() {
        return bits.toLongArray();
    }

    boolean contains(long seq) {
        return seq > 0 && seq <= Integer.MAX_VALUE && bits.get((int) seq);
    }

    void add(long seq) {
        bits.set(Math.toIntExact(seq));
    }

    void remove(long seq) {
        if (seq > 0 && seq <= Integer.MAX_VALUE) {
            bits.clear((int) seq);
        }
    }

    /** The largest member of the set that is at most {@code seq}, or 0 when there is none. */
    long floor(long seq) {
        if (seq <= 0) {
            return 0;
        }
        int found = bits.previousSetBit((int) Math.min(seq, Integer.MAX_VALUE));
        return Math.max(found, 0);
    }

    /** By content: a member's marks compare as sets (Axon's fixture checks state sourced twice is equal). */
    @Override
    public boolean equals(Object other) {
        return other instanceof SeqSet set && bits.equals(set.bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }
}
