package io.securenn.runtime;

import io.securenn.job.PartyRunner;

import java.util.List;
import java.util.function.Function;

/** A {@link PartyRunner} for tests: all three parties in this process over in-memory links. */
public final class InMemoryParties implements PartyRunner {
    public static final InMemoryParties ALL = new InMemoryParties(SessionParams.defaults());

    private final SessionParams session;

    private InMemoryParties(SessionParams session) {
        this.session = session;
    }

    /** The three parties in sessions with these parameters. */
    public static InMemoryParties with(SessionParams session) {
        return new InMemoryParties(session);
    }

    @Override
    public <T> List<T> run(String command, String params, Function<PartyContext, T> job) {
        return LocalCluster.run(session, job).values();
    }

    @Override
    public int partyId() {
        return -1;
    }
}
