package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.Cluster;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Where the parties of a command run (a picocli mixin shared by every command that computes): by default all
 * three in this process over loopback TLS; with {@code --party N --config FILE} this process is party N and
 * connects to the two others over TLS. {@code --tls-provider} picks the TLS implementation. The sessions' protocol
 * settings are the defaults with the Z_67 wire format of {@code -Dsecurenn.zpWire}, the DReLU form of
 * {@code -Dsecurenn.drelu} and the weight mask budget of {@code -Dsecurenn.weightMasks} ({@link #sessionParams()}).
 */
public final class PartyOptions implements io.securenn.job.PartyRunner {

    @Option(names = "--party", paramLabel = "N",
            description = "Run as party N (0, 1 or 2) of the cluster in --config, one process per party. "
                    + "Default: all three parties in this process over loopback TLS.")
    Integer party;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Cluster config (made by 'securenn keys'): each party's host:port and pinned certificate.")
    Path config;

    @Option(names = "--key", paramLabel = "FILE",
            description = "This party's private key (default: party.N.key in the config).")
    Path key;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "A peer silent this long (no message, no heartbeat) is declared lost (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for the other parties to come up (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--tls-provider", paramLabel = "boringssl|jdk|none",
            description = "TLS implementation of the links: boringssl (BoringSSL through netty-tcnative), jdk (the "
                    + "JDK's own, slower), or none: plain TCP, INSECURE (pair keys and shares travel unencrypted and "
                    + "unauthenticated), accepted by the benchmark commands only and there only with "
                    + "--insecure-plain-tcp. Parties on boringssl and jdk connect to each other. Default: "
                    + "-Dsecurenn.tls, else boringssl where its native library loads, else jdk.")
    String tlsProvider;

    @Option(names = "--insecure-plain-tcp",
            description = "INSECURE, benchmark commands only: consent to --tls-provider none (plain TCP, no "
                    + "encryption, no authentication of the parties).")
    boolean insecurePlainTcp;

    /** The command these options belong to (null where a command builds them itself), named in messages. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Plain TCP is allowed only in the benchmark commands, which say so with {@link #allowPlainTcp()}. */
    private boolean plainTcpAllowed;

    /**
     * For the benchmark commands only (bench networks' party processes): allows --tls-provider none (still with
     * --insecure-plain-tcp). Everywhere else plain TCP is refused, consent or not: the session set-up sends the
     * pair keys over the links, so without TLS anyone on the path could read every share.
     */
    public PartyOptions allowPlainTcp() {
        plainTcpAllowed = true;
        return this;
    }

    public boolean perProcess() {
        return party != null;
    }

    /** The party this process plays, or -1 when it plays all three. */
    @Override
    public int partyId() {
        return party == null ? -1 : party;
    }

    /** True if this process is P0 (alone or with the others). */
    public boolean isP0() {
        return party == null || party == 0;
    }

    public void validate() {
        if (party != null && (party < 0 || party > 2)) {
            throw SecureNnException.usage("unknown party id " + party + " (parties are 0, 1 and 2)");
        }
        if (party != null && config == null) throw SecureNnException.usage("--party needs --config FILE");
        if (party == null && config != null) throw SecureNnException.usage("--config needs --party N");
        if (party == null && key != null) throw SecureNnException.usage("--key needs --party N and --config FILE");
        refusePlainTcpOutsideBenchmarks();
        TlsProvider p = tlsProvider();
        if (p == TlsProvider.NONE && !insecurePlainTcp) {
            throw SecureNnException.usage("--tls-provider none is plain TCP, without encryption or authentication: it is "
                    + "for benchmarks only and needs --insecure-plain-tcp as well");
        }
        if (insecurePlainTcp && p != TlsProvider.NONE) {
            throw SecureNnException.usage("--insecure-plain-tcp goes only with --tls-provider none");
        }
    }

    /**
     * Refuses --tls-provider none unless this is a benchmark command ({@link #allowPlainTcp()}), with or without
     * --insecure-plain-tcp. Called by {@link #validate()}, and by commands that skip it (a --plaintext run, which
     * uses no links, still refuses the option rather than ignore it).
     */
    public void refusePlainTcpOutsideBenchmarks() {
        if (plainTcpAllowed || tlsProvider() != TlsProvider.NONE) return;
        String command = mixee == null ? "this command" : "'" + mixee.qualifiedName() + "'";
        throw SecureNnException.usage("--tls-provider none (plain TCP) would send the pair keys and every share "
                + "unencrypted: " + command + " refuses it, only the benchmark commands (bench networks) run without TLS");
    }

    /** The provider asked for (AUTO when --tls-provider is not given). */
    public TlsProvider tlsProvider() {
        return TlsProvider.parse(tlsProvider, "--tls-provider");
    }

    /**
     * The transport options of the command line; {@code -Dsecurenn.threadedIo=true} chooses the links' earlier
     * thread structure (a reader and a writer thread per link, every message through both), kept to compare
     * against in benchmarks (docs/benchmarks/serving.md); it changes no byte on the wire.
     */
    public TransportOptions transportOptions() {
        return TransportOptions.defaults().withIdleTimeout(idleTimeout).withConnectTimeout(connectTimeout)
                .withTls(tlsProvider()).withInsecurePlainTcp(insecurePlainTcp)
                .withThreadedIo(Boolean.getBoolean("securenn.threadedIo"));
    }

    /**
     * The session parameters of the command line: the defaults ({@link SessionParams#defaults()}), with the Z_67
     * wire format of the system property {@code -Dsecurenn.zpWire} (byte or packed7) and the DReLU form of
     * {@code -Dsecurenn.drelu} (masked or paper) and the weight mask budget of {@code -Dsecurenn.weightMasks} (on,
     * off or MB); a bad value is a usage error. Every party must be started with the same; the session's job hash
     * checks it.
     */
    public static SessionParams sessionParams() {
        return sessionParams(System.getProperty(ZpWire.PROPERTY), System.getProperty(DReluForm.PROPERTY),
                System.getProperty(SessionParams.WEIGHT_MASKS_PROPERTY));
    }

    /** As {@link #sessionParams()}, with the properties' values given (null: not set). */
    static SessionParams sessionParams(String zpWireProperty, String dreluProperty) {
        return sessionParams(zpWireProperty, dreluProperty, null);
    }

    /** As {@link #sessionParams()}, with the properties' values given (null: not set), the weight masks' too. */
    static SessionParams sessionParams(String zpWireProperty, String dreluProperty, String weightMasksProperty) {
        try {
            return SessionParams.defaults().withZpWire(ZpWire.fromProperty(zpWireProperty))
                    .withDReluForm(DReluForm.fromProperty(dreluProperty))
                    .withWeightMaskBudget(SessionParams.weightMaskBudgetFromProperty(weightMasksProperty));
        } catch (IllegalArgumentException e) {
            throw SecureNnException.usage(e.getMessage());
        }
    }

    /**
     * Runs the job at every party this process plays and returns their results by party id (null for parties
     * that run elsewhere), in sessions with the command line's {@link #sessionParams()}. Connection set-up happens
     * before the job starts, so the job can time its own work.
     */
    @Override
    public <T> List<T> run(String command, String params, Function<PartyContext, T> job) {
        validate();
        SessionParams session = sessionParams();
        TransportOptions o = transportOptions();
        if (party == null) {
            FramedTransport[] ts = Cluster.local(o);
            return LocalCluster.run(ts, command, params, session, job).values();
        }
        FramedTransport t = Cluster.connect(party, config, key, o);
        T r = LocalCluster.runParty(t, command, params, session, job);
        List<T> out = new ArrayList<>(Arrays.asList(null, null, null));
        out.set(party, r);
        return out;
    }
}
