package io.securenn.runtime;

import io.securenn.random.Prg;
import io.securenn.random.Seeds;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Per-batch random streams of a long-lived session (securenn serve): from the session's pair streams each pair
 * draws a 32-byte master key once ({@link #from}); batch b's stream of that pair is AES-128-CTR keyed by
 * HMAC-SHA256(master, {@link #LABEL} ‖ b) (bytes 0–15 the AES key, 16–31 the initial counter block). Distinct batch
 * numbers give independent streams, so no two batches ever draw from the same position of any stream, whatever
 * their sizes or order (docs/SERVING.md has the argument). The masters live only in memory, in this object.
 */
public final class BatchStreams {
    /** Domain separation of the derivation (its version is part of it). */
    static final byte[] LABEL = "securenn/serve/batch-stream/v1".getBytes(StandardCharsets.US_ASCII);

    private final PartyContext session;
    private final byte[][] master = new byte[3][];
    /** Streams of the next batch derived ahead ({@link #prepare}), handed out once by {@link #forBatch}. */
    private long preparedBatch = -1;
    private Prg[] prepared;

    private BatchStreams(PartyContext session) {
        this.session = session;
        for (int p = 0; p < 3; p++) if (p != session.id()) master[p] = session.pair(p).bytes(32);
    }

    /**
     * Draws the masters from the session's pair streams (every party calls this at the same point, right after
     * {@link Session#establish}, so both holders of a pair draw the same 32 bytes).
     */
    public static BatchStreams from(PartyContext session) {
        return new BatchStreams(session);
    }

    /** The context of batch b: the session's transport and parameters, b's derived pair streams, a fresh private stream. */
    public PartyContext forBatch(long batch) {
        if (batch < 0) throw new IllegalArgumentException("batch numbers are non-negative");
        Prg[] s = prepared != null && preparedBatch == batch ? prepared : streamsOf(batch);
        prepared = null;   // derived ahead for one batch, used by that batch only, once
        preparedBatch = -1;
        return new PartyContext(session.id(), session.transport(), s[0], s[1], s[2], session.params());
    }

    /**
     * Derives batch b's streams ahead (the two HMAC derivations, the AES key schedules, a fresh private stream),
     * e.g. while a server waits for its next batch, so that {@link #forBatch}(b) finds them ready. Nothing is
     * drawn from them here; a later call replaces them, and forBatch of another number derives its own (the
     * prepared ones are then dropped unused).
     */
    public void prepare(long batch) {
        if (batch < 0) throw new IllegalArgumentException("batch numbers are non-negative");
        prepared = streamsOf(batch);
        preparedBatch = batch;
    }

    private Prg[] streamsOf(long batch) {
        int[] peers = PartyContext.peersOf(session.id());
        return new Prg[] {derive(master[peers[0]], batch), derive(master[peers[1]], batch), Seeds.freshPrg()};
    }

    /** Batch b's stream for a pair with the given master key. */
    static Prg derive(byte[] master, long batch) {
        return derive(master, LABEL, batch);
    }

    /**
     * The stream numbered {@code number} under {@code label} for a pair with the given master key: AES-128-CTR keyed
     * by HMAC-SHA256(master, label ‖ number). Distinct labels (batches, {@link WeightMaskStreams}' weight masks)
     * separate the domains: no stream of one is a stream of the other, whatever the numbers.
     */
    static Prg derive(byte[] master, byte[] label, long number) {
        byte[] k = keyAndCounter(master, label, number);
        Prg p = new Prg(Arrays.copyOfRange(k, 0, 16), Arrays.copyOfRange(k, 16, 32));
        Arrays.fill(k, (byte) 0);
        return p;
    }

    /** HMAC-SHA256(master, label ‖ n): the AES key (bytes 0–15) and initial counter block (16–31) of stream n. */
    static byte[] keyAndCounter(byte[] master, byte[] label, long number) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            mac.update(label);
            mac.update(ByteBuffer.allocate(8).putLong(number).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a derived stream's (key, initial counter): its name, one-way. */
    static byte[] nameOf(byte[] master, byte[] label, long number) {
        byte[] k = keyAndCounter(master, label, number);
        byte[] h = io.securenn.Hashes.sha256(k, k.length);
        Arrays.fill(k, (byte) 0);
        return h;
    }

    /**
     * Names batch b's stream of the pair with peer without revealing it: SHA-256 of its (key, initial counter).
     * Two batches draw from a common position of a pair stream only if their names are equal (tests check they
     * never are). For tests and traces; the name is a one-way hash, yet keep it out of logs all the same.
     */
    public byte[] streamName(int peer, long batch) {
        if (peer == session.id() || master[peer] == null) throw new IllegalArgumentException("no pair stream with P" + peer);
        return nameOf(master[peer], LABEL, batch);
    }

    /** Forgets the masters (end of the session). */
    public void wipe() {
        for (byte[] m : master) if (m != null) Arrays.fill(m, (byte) 0);
        prepared = null;
    }
}
