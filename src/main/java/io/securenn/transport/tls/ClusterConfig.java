package io.securenn.transport.tls;

import io.securenn.InputFiles;
import io.securenn.SecureNnException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster config file: where each of the three parties listens and which certificate it must present.
 * Format (docs/TRANSPORT.md): lines {@code party.<id>.<field> = value}, {@code #} comments; fields
 * {@code address} (host:port, required), {@code cert} (PEM file, required), {@code key} (that party's private key
 * file, optional: only the party's own host has it) and {@code bind} (local address to listen on, optional).
 * Relative paths are relative to the config file's directory. Parsed strictly: an unknown or repeated key, a
 * party id other than 0–2, a missing field, two parties at the same address or with the same certificate are
 * errors.
 */
public final class ClusterConfig {
    public static final String DEFAULT_NAME = "cluster.properties";
    private static final Pattern KEY = Pattern.compile("party\\.(\\d+)\\.([a-z]+)");
    /** A serving cluster's client certificates (securenn keys --clients N): client.K.cert = FILE, K = 0, 1, … */
    private static final Pattern CLIENT = Pattern.compile("client\\.(\\d{1,6})\\.cert");
    private static final List<String> FIELDS = List.of("address", "cert", "key", "bind");

    /** One party's entry; key and bind are null when absent. */
    public record Party(int id, HostPort address, Path cert, Path key, String bind) {}

    private final Path file;
    private final Party[] parties;
    private final X509Certificate[] certs;
    private final List<Path> clientPaths;
    private final List<X509Certificate> clientCerts;

    private ClusterConfig(Path file, Party[] parties, X509Certificate[] certs, List<Path> clientPaths,
                          List<X509Certificate> clientCerts) {
        this.file = file;
        this.parties = parties;
        this.certs = certs;
        this.clientPaths = List.copyOf(clientPaths);
        this.clientCerts = List.copyOf(clientCerts);
    }

    /** The pinned client certificates, client K at index K (empty unless the config lists client.K.cert). */
    public List<X509Certificate> clientCertificates() {
        return clientCerts;
    }

    /** The client certificates' files, client K at index K. */
    public List<Path> clientCertFiles() {
        return clientPaths;
    }

    public Path file() {
        return file;
    }

    public Party party(int id) {
        checkId(id, "party");
        return parties[id];
    }

    public X509Certificate certificate(int id) {
        checkId(id, "party");
        return certs[id];
    }

    private void checkId(int id, String what) {
        if (id < 0 || id > 2) throw SecureNnException.usage("unknown " + what + " id " + id + " (parties are 0, 1 and 2)");
    }

    /** Longest config file read (a config is a few hundred bytes; anything this long is the wrong file). */
    public static final int MAX_BYTES = 1 << 20;

    public static ClusterConfig load(Path file) {
        return parse(InputFiles.read(file, MAX_BYTES, "cluster config"), file);
    }

    /**
     * Parses the bytes of a config file; relative paths resolve against file's directory, where the certificates
     * named in it are read. Every defect is a one-line {@link SecureNnException}.
     */
    public static ClusterConfig parse(byte[] data, Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw SecureNnException.badInput("cluster config " + file + " is not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark some editors write
        List<String> lines = text.lines().toList();
        Path dir = file.toAbsolutePath().getParent();
        Map<String, String> seen = new HashMap<>();
        String[][] values = new String[3][FIELDS.size()];
        java.util.TreeMap<Integer, String> clientValues = new java.util.TreeMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String where = "cluster config " + file + " line " + (n + 1);
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw SecureNnException.badInput(where + ": expected 'party.<id>.<field> = value'");
            String key = line.substring(0, eq).strip(), value = line.substring(eq + 1).strip();
            Matcher c = CLIENT.matcher(key);
            if (c.matches()) {
                if (seen.put(key, where) != null) throw SecureNnException.badInput(where + ": " + key + " is given twice");
                if (value.isEmpty()) throw SecureNnException.badInput(where + ": " + key + " has no value");
                clientValues.put(Integer.parseInt(c.group(1)), value);
                continue;
            }
            Matcher m = KEY.matcher(key);
            if (!m.matches() || !FIELDS.contains(m.group(2))) {
                throw SecureNnException.badInput(where + ": unknown key '" + key + "' (expected party.<id>."
                        + String.join("|", FIELDS) + " or client.<k>.cert)");
            }
            int id;
            try {
                id = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 0 || id > 2) {
                throw SecureNnException.badInput(where + ": unknown party id " + m.group(1) + " (parties are 0, 1 and 2)");
            }
            if (seen.put(key, where) != null) throw SecureNnException.badInput(where + ": " + key + " is given twice");
            if (value.isEmpty()) throw SecureNnException.badInput(where + ": " + key + " has no value");
            values[id][FIELDS.indexOf(m.group(2))] = value;
        }
        Party[] parties = new Party[3];
        X509Certificate[] certs = new X509Certificate[3];
        for (int id = 0; id < 3; id++) {
            String[] v = values[id];
            for (String required : List.of("address", "cert")) {
                if (v[FIELDS.indexOf(required)] == null) {
                    throw SecureNnException.badInput("cluster config " + file + ": party." + id + "." + required + " is missing");
                }
            }
            HostPort hp = HostPort.parse(v[0], "cluster config " + file + ": party." + id + ".address");
            Path cert = resolve(dir, v[1], file, "party." + id + ".cert");
            Path key = v[2] == null ? null : resolve(dir, v[2], file, "party." + id + ".key");
            parties[id] = new Party(id, hp, cert, key, v[3]);
            certs[id] = Pem.readCertificate(cert, "certificate of P" + id);
        }
        for (int id = 0; id < 3; id++) {
            // checked at every handshake too; here so a long-lived config fails at once, naming the file
            String invalid = PinnedTrustManager.validityProblem(certs[id], id);
            if (invalid != null) {
                throw new SecureNnException(SecureNnException.Kind.TLS_IDENTITY, "cluster config " + file + ": "
                        + invalid + " (" + parties[id].cert() + ")");
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                HostPort x = parties[a].address(), y = parties[b].address();
                if (x.port() == y.port() && x.host().toLowerCase(Locale.ROOT).equals(y.host().toLowerCase(Locale.ROOT))) {
                    throw SecureNnException.badInput("cluster config " + file + ": P" + a + " and P" + b
                            + " have the same address " + x);
                }
                if (Arrays.equals(TlsIdentity.der(certs[a]), TlsIdentity.der(certs[b]))) {
                    throw SecureNnException.badInput("cluster config " + file + ": P" + a + " and P" + b
                            + " have the same certificate (each party needs its own key: securenn keys)");
                }
            }
        }
        List<Path> clientPaths = new ArrayList<>();
        List<X509Certificate> clientCerts = new ArrayList<>();
        for (var e : clientValues.entrySet()) {
            if (e.getKey() != clientPaths.size()) {
                throw SecureNnException.badInput("cluster config " + file + ": client." + clientPaths.size()
                        + ".cert is missing (clients are numbered 0, 1, … without gaps)");
            }
            Path cp = resolve(dir, e.getValue(), file, "client." + e.getKey() + ".cert");
            X509Certificate cc = Pem.readCertificate(cp, "certificate of client " + e.getKey());
            for (int id = 0; id < 3; id++) {
                if (Arrays.equals(TlsIdentity.der(certs[id]), TlsIdentity.der(cc))) {
                    throw SecureNnException.badInput("cluster config " + file + ": client " + e.getKey() + " and P" + id
                            + " have the same certificate (a client needs its own key: securenn keys --clients N)");
                }
            }
            clientPaths.add(cp);
            clientCerts.add(cc);
        }
        return new ClusterConfig(file, parties, certs, clientPaths, clientCerts);
    }

    private static Path resolve(Path dir, String value, Path file, String key) {
        try {
            return dir.resolve(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw SecureNnException.badInput("cluster config " + file + ": " + key + " is not a valid path");
        }
    }

    /** The text of a config file; paths are written as given (relative ones resolve against the file's dir). */
    public static String render(List<Party> parties) {
        return render(parties, List.of());
    }

    /** As {@link #render(List)}, with the serving clients' certificates (client K's at index K). */
    public static String render(List<Party> parties, List<Path> clients) {
        StringBuilder sb = new StringBuilder();
        sb.append("# securenn cluster config (format: docs/TRANSPORT.md)\n")
          .append("# party.<id>.address  host:port where the party listens and the others reach it\n")
          .append("# party.<id>.cert     its certificate (PEM), pinned: the party must present exactly this one\n")
          .append("# party.<id>.key      its private key (optional; only on that party's own host)\n")
          .append("# party.<id>.bind     local address to listen on (optional; default: all interfaces)\n")
          .append("# Relative paths are relative to the directory of this file.\n");
        for (Party p : parties) {
            sb.append('\n');
            sb.append("party.").append(p.id()).append(".address = ").append(p.address()).append('\n');
            sb.append("party.").append(p.id()).append(".cert = ").append(slashes(p.cert())).append('\n');
            if (p.key() != null) sb.append("party.").append(p.id()).append(".key = ").append(slashes(p.key())).append('\n');
            if (p.bind() != null) sb.append("party.").append(p.id()).append(".bind = ").append(p.bind()).append('\n');
        }
        if (!clients.isEmpty()) {
            sb.append("\n# client.<k>.cert  a client's certificate, pinned by the serving parties (securenn serve)\n");
            for (int k = 0; k < clients.size(); k++) sb.append("client.").append(k).append(".cert = ").append(slashes(clients.get(k))).append('\n');
        }
        return sb.toString();
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    /** The two other parties of self as TLS peers. */
    public Map<Integer, TlsNetwork.Peer> peersOf(int self) {
        Map<Integer, TlsNetwork.Peer> m = new HashMap<>();
        for (Party p : parties) {
            if (p.id() != self) m.put(p.id(), new TlsNetwork.Peer(p.id(), p.address().host(), p.address().port(), certs[p.id()]));
        }
        return m;
    }

    public List<Party> parties() {
        return new ArrayList<>(Arrays.asList(parties));
    }
}
