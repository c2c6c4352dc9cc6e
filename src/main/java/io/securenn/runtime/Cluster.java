package io.securenn.runtime;

import io.securenn.SecureNnException;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.TransportOptions;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import io.securenn.transport.tls.TlsNetwork;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where the transports of a job come from: all three parties in this JVM over loopback TLS ({@link #local}), or
 * this process as one party of a cluster config ({@link #connect}). Commands (op, train, infer) take the result
 * to {@link LocalCluster#run} or {@link LocalCluster#runParty}.
 */
public final class Cluster {
    private Cluster() {}

    /**
     * Three connected transports over TLS 1.3 on 127.0.0.1 with fresh in-memory identities (nothing touches the
     * disk) and ephemeral ports: the real transport, exactly as between hosts, in one process.
     */
    public static FramedTransport[] local(TransportOptions options) {
        TlsIdentity[] ids = new TlsIdentity[3];
        for (int i = 0; i < 3; i++) ids[i] = TlsIdentity.generate(i);
        TlsNetwork.Listener[] listeners = new TlsNetwork.Listener[3];
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "securenn-setup");
            t.setDaemon(true);
            return t;
        });
        FramedTransport[] out = new FramedTransport[3];
        try {
            // P2 accepts no one, so only P0 and P1 listen
            for (int i = 0; i < 2; i++) listeners[i] = TlsNetwork.listen(i, "127.0.0.1", 0);
            Map<Integer, TlsNetwork.Peer> all = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                all.put(i, new TlsNetwork.Peer(i, "127.0.0.1", listeners[i] == null ? 1 : listeners[i].port(),
                        ids[i].certificate()));
            }
            Future<?>[] fs = new Future<?>[3];
            for (int i = 0; i < 3; i++) {
                final int me = i;
                Map<Integer, TlsNetwork.Peer> peers = new HashMap<>(all);
                peers.remove(me);
                fs[i] = pool.submit(() -> out[me] = TlsNetwork.connect(me, ids[me], peers, listeners[me], options, false));
            }
            RuntimeException first = null;
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof RuntimeException re ? re
                            : new SecureNnException(SecureNnException.Kind.INTERNAL, "set-up failed: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first = new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted during set-up");
                }
            }
            if (first != null) {
                for (FramedTransport t : out) if (t != null) t.abort(new io.securenn.transport.PeerFailure(
                        SecureNnException.Kind.INTERNAL, t.self(), "set-up failed"));
                throw first;
            }
            return out;
        } finally {
            for (TlsNetwork.Listener l : listeners) if (l != null) l.close();
            pool.shutdownNow();
        }
    }

    /**
     * Connects this process as party {@code party} of the cluster config: loads its private key (keyFile, or
     * the config's {@code party.<id>.key}), checks it belongs to its pinned certificate, listens on its port and
     * connects to the others.
     */
    public static FramedTransport connect(int party, Path configFile, Path keyFile, TransportOptions options) {
        ClusterConfig config = ClusterConfig.load(configFile);
        return connect(party, config, keyFile, options);
    }

    public static FramedTransport connect(int party, ClusterConfig config, Path keyFile, TransportOptions options) {
        ClusterConfig.Party me = config.party(party);
        Path key = keyFile != null ? keyFile : me.key();
        if (key == null) {
            throw SecureNnException.usage("no private key for P" + party + ": add party." + party
                    + ".key to " + config.file() + " or pass --key FILE");
        }
        TlsIdentity identity = new TlsIdentity(Pem.readPrivateKey(key, "private key of P" + party),
                config.certificate(party));
        identity.checkMatches("P" + party + " (" + key + " and " + me.cert() + ")");
        TlsNetwork.Listener listener = party == 2 ? null : TlsNetwork.listen(party, me.bind(), me.address().port());
        return TlsNetwork.connect(party, identity, config.peersOf(party), listener, options, true);
    }
}
