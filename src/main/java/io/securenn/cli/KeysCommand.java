package io.securenn.cli;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.HostPort;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code securenn keys}: key pairs, pinned certificates and the cluster config. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {
                "Make the parties' TLS identities (EC P-256 key and self-signed certificate) and the cluster config.",
                "",
                "securenn keys --out DIR --hosts H0:P0,H1:P1,H2:P2",
                "  All three parties' keys and certificates, and DIR/" + ClusterConfig.DEFAULT_NAME + ".",
                "",
                "securenn keys --party N --out DIR [--hosts H0:P0,H1:P1,H2:P2]",
                "  Only party N's key and certificate: run it on host N, so that the private key never leaves "
                        + "that host. With --hosts it also writes a config naming p0.crt, p1.crt and p2.crt. Copy "
                        + "pN.crt (public) into the other hosts' DIR and theirs into this one, then run: securenn "
                        + "<command> --party N --config DIR/" + ClusterConfig.DEFAULT_NAME,
                "",
                "Private keys are written owner-only (0600), atomically. Peers are identified by their pinned "
                        + "certificate, never by host name: compare the printed SHA-256 fingerprints when you "
                        + "exchange certificates."})
public final class KeysCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into.")
    Path out;

    @Option(names = "--hosts", paramLabel = "H0:P0,H1:P1,H2:P2",
            description = "Where P0, P1 and P2 listen (host:port each, in party order).")
    String hosts;

    @Option(names = "--party", paramLabel = "N", description = "Make only party N's key and certificate.")
    Integer party;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "3650",
            description = "Validity of the certificates in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "0",
            description = "Also make N client identities (client.K.key and client.K.crt, K = 0..N-1) for securenn "
                    + "query, listed in the cluster config so that the serving parties pin them.")
    int clients;

    @Option(names = "--force", description = "Replace existing key, certificate and config files.")
    boolean force;

    @Spec
    CommandSpec spec;

    static String keyFile(int p) {
        return "p" + p + ".key";
    }

    static String certFile(int p) {
        return "p" + p + ".crt";
    }

    @Override
    public Integer call() {
        if (party != null && (party < 0 || party > 2)) {
            throw SecureNnException.usage("unknown party id " + party + " (parties are 0, 1 and 2)");
        }
        if (party == null && hosts == null) {
            throw SecureNnException.usage("give --hosts H0:P0,H1:P1,H2:P2 (or --party N to make one party's key only)");
        }
        if (days < 1) throw SecureNnException.usage("--days must be at least 1");
        if (clients < 0 || clients > 100_000) throw SecureNnException.usage("--clients must be between 0 and 100000");
        List<HostPort> addr = hosts == null ? null : parseHosts(List.of(hosts.split(",", -1)));
        PrintWriter o = spec.commandLine().getOut();
        List<Integer> make = party == null ? List.of(0, 1, 2) : List.of(party);
        for (int p : make) {
            Path k = out.resolve(keyFile(p)), c = out.resolve(certFile(p));
            if (!force && (k.toFile().exists() || c.toFile().exists())) {
                throw SecureNnException.badInput((k.toFile().exists() ? k : c) + " already exists (use --force to replace it)");
            }
        }
        if (addr != null && !force && out.resolve(ClusterConfig.DEFAULT_NAME).toFile().exists()) {
            throw SecureNnException.badInput(out.resolve(ClusterConfig.DEFAULT_NAME)
                    + " already exists (use --force to replace it)");
        }
        for (int p : make) {
            TlsIdentity id = TlsIdentity.generate(p, Duration.ofDays(days));
            Pem.writePrivateKey(out.resolve(keyFile(p)), id.privateKey(), force);
            Pem.writeCertificate(out.resolve(certFile(p)), id.certificate(), force);
            o.printf("P%d: private key %s (owner-only), certificate %s%n    SHA-256 %s%n", p, out.resolve(keyFile(p)),
                    out.resolve(certFile(p)), TlsIdentity.fingerprint(id.certificate()));
        }
        List<Path> clientCerts = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            Path kf = out.resolve("client." + k + ".key"), cf = out.resolve("client." + k + ".crt");
            if (!force && (kf.toFile().exists() || cf.toFile().exists())) {
                throw SecureNnException.badInput((kf.toFile().exists() ? kf : cf) + " already exists (use --force to replace it)");
            }
            TlsIdentity id = TlsIdentity.generateClient(k, Duration.ofDays(days));
            Pem.writePrivateKey(kf, id.privateKey(), force);
            Pem.writeCertificate(cf, id.certificate(), force);
            clientCerts.add(Path.of("client." + k + ".crt"));
            o.printf("client %d: private key %s (owner-only), certificate %s%n    SHA-256 %s%n", k, kf, cf,
                    TlsIdentity.fingerprint(id.certificate()));
        }
        if (addr != null) {
            List<ClusterConfig.Party> entries = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                boolean ownKey = party == null || party == p;
                entries.add(new ClusterConfig.Party(p, addr.get(p), Path.of(certFile(p)),
                        ownKey ? Path.of(keyFile(p)) : null, null));
            }
            Path cfg = out.resolve(ClusterConfig.DEFAULT_NAME);
            AtomicFiles.write(cfg, ClusterConfig.render(entries, clientCerts).getBytes(StandardCharsets.UTF_8), false, force);
            o.printf("cluster config %s%n", cfg);
            if (party != null) {
                o.printf("next: copy %s to the other hosts' %s, and put their certificates here as p0.crt, p1.crt, p2.crt%n",
                        out.resolve(certFile(party)), out);
            }
        }
        o.flush();
        return 0;
    }

    private static List<HostPort> parseHosts(List<String> hosts) {
        if (hosts.size() != 3) {
            throw SecureNnException.usage("--hosts needs exactly three host:port values (P0, P1, P2), got " + hosts.size());
        }
        List<HostPort> r = new ArrayList<>();
        for (int i = 0; i < 3; i++) r.add(HostPort.parse(hosts.get(i), "--hosts (P" + i + ")"));
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                if (r.get(a).port() == r.get(b).port()
                        && r.get(a).host().toLowerCase(Locale.ROOT).equals(r.get(b).host().toLowerCase(Locale.ROOT))) {
                    throw SecureNnException.badInput("--hosts: P" + a + " and P" + b + " have the same address " + r.get(a));
                }
            }
        }
        return r;
    }
}
