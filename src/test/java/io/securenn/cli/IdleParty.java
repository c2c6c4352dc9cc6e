package io.securenn.cli;

import io.securenn.cli.probe.ProbeOptions;
import io.securenn.runtime.Cluster;
import io.securenn.runtime.Session;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.TransportOptions;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Test stand-in for a party that joins an {@code op matmul} session and then does nothing (its transport keeps
 * sending heartbeats), so the test decides when it dies: args = party id, config file, idle timeout in ms.
 */
public final class IdleParty {
    public static void main(String[] args) throws Exception {
        int party = Integer.parseInt(args[0]);
        TransportOptions o = TransportOptions.defaults().withIdleTimeout(Duration.ofMillis(Long.parseLong(args[2])));
        FramedTransport t = Cluster.connect(party, Path.of(args[1]), null, o);
        Session.establish(t, "op matmul", new ProbeOptions(false, null).agreed(), SessionParams.defaults());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
