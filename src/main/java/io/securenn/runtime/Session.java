package io.securenn.runtime;

import io.securenn.SecureNnException;
import io.securenn.random.Prg;
import io.securenn.random.Seeds;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Session set-up over an authenticated transport: the parties check they run the same version, command, job
 * parameters and session parameters (Z_67 wire format, chunk sizes; else their random streams would silently
 * fall out of step, or their frames would differ in size half-way through a protocol), then agree fresh pair
 * keys: for each pair the lower-numbered party draws a key and IV from SecureRandom and sends them over the
 * pair's own channel, so P0 never holds the P1–P2 key and P1 never holds the P0–P2 key. Keys live only in memory.
 */
public final class Session {
    private Session() {}

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    public static final String VERSION = "securenn/0.1";

    /**
     * Hash of what all parties must agree on: version, command, the command's job parameters, and the session
     * parameters the contexts will use (Z_67 wire format, chunk sizes: {@link SessionParams}), which every command
     * shares, so they are added here and not by each caller.
     */
    public static byte[] jobHash(String command, String parameters, SessionParams session) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((VERSION + "\n" + command + "\n" + parameters + "\n" + session.hashText())
                    .getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks with the two peers that they run the same version, command, job parameters and session parameters
     * (the job hash), agrees the pair keys and returns this party's context, which carries {@code session}.
     */
    public static PartyContext establish(Transport t, String command, String parameters, SessionParams session) {
        int me = t.self();
        int[] peers = PartyContext.peersOf(me);
        byte[] hash = jobHash(command, parameters, session);
        for (int p : peers) t.send(p, hash);
        for (int p : peers) {
            byte[] theirs = t.receive(p);
            if (!Arrays.equals(theirs, hash)) {
                PeerFailure f = new PeerFailure(SecureNnException.Kind.BAD_INPUT, p,
                        "P" + p + " runs a different version, command, job parameters or Z_67 wire format (or DReLU form,"
                                + " or weight mask budget) than P" + me + " (start every party with the same command, options,"
                                + " -Dsecurenn.zpWire, -Dsecurenn.drelu and -Dsecurenn.weightMasks)");
                t.abort(f);
                throw f;
            }
        }
        Prg[] streams = new Prg[2];
        for (int k = 0; k < 2; k++) {
            int p = peers[k];
            byte[] material;
            if (me < p) {
                material = Seeds.fresh(32);
                // the transport owns what it is given (a TLS link writes it later): hand over a copy, wipe ours
                t.send(p, material.clone());
            } else {
                material = t.receive(p);
                if (material.length != 32) {
                    PeerFailure f = PeerFailure.misbehaved(p, "key message of wrong size");
                    t.abort(f);
                    throw f;
                }
            }
            streams[k] = new Prg(Arrays.copyOfRange(material, 0, 16), Arrays.copyOfRange(material, 16, 32));
            Arrays.fill(material, (byte) 0);
        }
        t.stats().reset();
        if (t instanceof FramedTransport ft) ft.stats().reset();
        log.debug("P{}: session '{}' established with P{} and P{}; pair keys agreed", me, command, peers[0], peers[1]);
        return new PartyContext(me, t, streams[0], streams[1], Seeds.freshPrg(), session);
    }
}
