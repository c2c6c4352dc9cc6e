package io.securenn.transport.tls;

import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;

import java.security.Security;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Run in a JVM of its own by {@link TlsProviderTest}: with the JDK's key-usage limit set to 1 MiB (before any TLS
 * class reads it), three parties on mixed providers exchange 16 MiB each way per pair and check every byte, so
 * the links go through dozens of TLS 1.3 key updates. Prints "ok P0,P1,P2" per assignment, exits 1 on failure.
 */
public final class KeyUpdateRun {
    private KeyUpdateRun() {}

    public static void main(String[] args) {
        Security.setProperty("jdk.tls.keyLimits", "AES/GCM/NoPadding KeyUpdate 2^20, ChaCha20-Poly1305 KeyUpdate 2^20");
        try {
            for (String a : args) {
                TlsProvider[] assign = Arrays.stream(a.split(",")).map(s -> TlsProvider.parse(s, "assignment"))
                        .toArray(TlsProvider[]::new);
                run(assign);
                System.out.println("ok " + a);
            }
        } catch (RuntimeException e) {
            System.out.println("failed: " + e);
            System.exit(1);
        }
    }

    private static void run(TlsProvider[] assign) {
        TlsIdentity[] id = {TlsIdentity.generate(0), TlsIdentity.generate(1), TlsIdentity.generate(2)};
        TlsNetwork.Listener[] l = {TlsNetwork.listen(0, "127.0.0.1", 0), TlsNetwork.listen(1, "127.0.0.1", 0), null};
        Map<Integer, TlsNetwork.Peer> all = Map.of(
                0, new TlsNetwork.Peer(0, "127.0.0.1", l[0].port(), id[0].certificate()),
                1, new TlsNetwork.Peer(1, "127.0.0.1", l[1].port(), id[1].certificate()),
                2, new TlsNetwork.Peer(2, "127.0.0.1", 1, id[2].certificate()));
        List<CompletableFuture<FramedTransport>> fs = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int me = p;
            Map<Integer, TlsNetwork.Peer> peers = new HashMap<>(all);
            peers.remove(me);
            fs.add(CompletableFuture.supplyAsync(() -> TlsNetwork.connect(me, id[me], peers, l[me],
                    TransportOptions.defaults().withTls(assign[me]), false), r -> Thread.ofPlatform().start(r)));
        }
        FramedTransport[] ts = fs.stream().map(CompletableFuture::join).toArray(FramedTransport[]::new);
        int n = 1 << 17; // 1 MiB of longs per message
        LocalCluster.run(ts, "key-updates", "", SessionParams.defaults(), ctx -> {
            for (int round = 0; round < 16; round++) {
                for (int p = 0; p < 3; p++) {
                    if (p == ctx.id()) continue;
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) v[i] = ctx.id() * 1_000_003L + round * 7919L + i;
                    ctx.sendLongs(p, v);
                }
                for (int p = 0; p < 3; p++) {
                    if (p == ctx.id()) continue;
                    long[] v = ctx.receiveLongs(p, n);
                    for (int i = 0; i < n; i++) {
                        if (v[i] != p * 1_000_003L + round * 7919L + i) {
                            throw new IllegalStateException("P" + ctx.id() + " got a wrong value from P" + p);
                        }
                    }
                }
            }
            return 0;
        });
    }
}
