package io.securenn.runtime;

import io.securenn.SecureNnException;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.InMemoryTransports;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs the three parties as threads of one JVM over any three connected transports (in memory for unit tests,
 * TLS over loopback for the single-process CLI mode). An exception in any party aborts the others and is
 * rethrown here, so a failing party never shows up as a hang.
 */
public final class LocalCluster {
    private LocalCluster() {}

    /** The three parties' results, index = party id. */
    public record Results<T>(List<T> values, List<PartyContext> contexts) {
        public T of(int party) {
            return values.get(party);
        }
    }

    /** The job at three parties over in-memory links, with the default session parameters. */
    public static <T> Results<T> run(Function<PartyContext, T> job) {
        return run(SessionParams.defaults(), job);
    }

    /** The job at three parties over in-memory links, with the given session parameters. */
    public static <T> Results<T> run(SessionParams session, Function<PartyContext, T> job) {
        return run(InMemoryTransports.create(), "test", "", session, job);
    }

    public static <T> Results<T> run(Transport[] transports, String command, String params, SessionParams session,
                                     Function<PartyContext, T> job) {
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> fs = new ArrayList<>();
            PartyContext[] ctxs = new PartyContext[3];
            for (int i = 0; i < 3; i++) {
                final int id = i;
                fs.add(pool.submit(() -> {
                    Thread.currentThread().setName("party-P" + id);
                    return runParty(transports[id], command, params, session, ctx -> {
                        ctxs[id] = ctx;
                        return job.apply(ctx);
                    });
                }));
            }
            List<T> out = new ArrayList<>();
            Throwable first = null;
            for (Future<T> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    // prefer the root failure over the "lost peer" echoes it caused
                    if (first == null || first instanceof PeerFailure && !(c instanceof PeerFailure)) first = c;
                    out.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted");
                }
            }
            if (first instanceof RuntimeException re) throw re;
            if (first instanceof Error er) throw er;
            return new Results<>(out, List.of(ctxs));
        } finally {
            // normally each party has closed its own transport already; this only catches the odd one out
            for (Transport t : transports) t.close();
            pool.shutdownNow();
        }
    }

    /**
     * One party's whole run, the same in a thread of a local cluster and in a process of its own: set up the
     * session (whose context carries {@code session}), run the job, then close the transport (which waits for the
     * peers' BYE). Any failure aborts the transport, which tells the other parties which party was lost, and is
     * rethrown.
     */
    public static <T> T runParty(Transport transport, String command, String params, SessionParams session,
                                 Function<PartyContext, T> job) {
        int id = transport.self();
        try {
            PartyContext ctx = Session.establish(transport, command, params, session);
            T r = job.apply(ctx);
            transport.close();
            return r;
        } catch (RuntimeException | Error e) {
            PeerFailure pf = e instanceof PeerFailure p ? p
                    : new PeerFailure(SecureNnException.Kind.INTERNAL, id, "P" + id + " failed");
            transport.abort(pf);
            throw e;
        }
    }

    /** Bytes sent by each party in the transports given (payload only). */
    public static long[] bytesSent(Transport[] ts) {
        long[] r = new long[3];
        for (int i = 0; i < 3; i++) r[i] = ts[i].stats().bytesSent();
        return r;
    }

    static boolean isFramed(Transport t) {
        return t instanceof FramedTransport;
    }
}
