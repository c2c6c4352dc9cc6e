package io.securenn.job;

import io.securenn.runtime.PartyContext;

import java.util.List;
import java.util.function.Function;

/**
 * Runs a job at the parties this process plays: all three (over loopback) or one (the others run elsewhere).
 * The command line's party options implement it; tests use {@link io.securenn.runtime.LocalCluster}.
 */
public interface PartyRunner {
    /** Results by party id, null for parties that run elsewhere. */
    <T> List<T> run(String command, String params, Function<PartyContext, T> job);

    /** The one party this process plays, or −1 when it plays all three. */
    int partyId();

    default boolean playsP0() {
        return partyId() <= 0;
    }
}
