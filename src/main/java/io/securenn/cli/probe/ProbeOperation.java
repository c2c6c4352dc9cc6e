package io.securenn.cli.probe;

import io.securenn.runtime.SessionParams;
import io.securenn.runtime.PartyContext;

import java.util.List;
import java.util.function.Supplier;

/**
 * One operation of {@code securenn op}: what it reads, how its inputs reach the parties, the protocol it runs
 * and how its result is written. The plumbing ({@link ProbeJob}, {@code OpCommand}) does everything else:
 * reading and checking CSV, dealing shares, counting bytes and rounds, revealing to P0, writing files. To add an
 * operation, implement this and list it in {@link ProbeOperations}.
 */
public interface ProbeOperation {

    /** How an input reaches the parties. */
    enum InputKind {
        /** P0 deals Z_2^64 shares of it to P0 and P1 (P2 gets nothing). */
        SHARED,
        /** P0 and P1 both hold it in the clear (P0 sends it to P1, counted as input bytes); P2 gets nothing. */
        PUBLIC_TO_HOLDERS,
        /**
         * P0 and the helper P2 hold it in the clear (P0 sends it to P2, counted as input bytes); P1 gets nothing.
         * For values the protocol expects P2 to know, such as PrivateCompare's x.
         */
        KNOWN_TO_HELPER;

        /** Whether party p (1 or 2) receives the plaintext from P0. */
        boolean sentTo(int p) {
            return this == PUBLIC_TO_HOLDERS ? p == 1 : this == KNOWN_TO_HELPER && p == 2;
        }
    }

    /**
     * The part of an operation that is its protocol. {@link ProbeJob} counts the bytes, rounds and time of what runs
     * inside {@link #protocol} (one protocol scope, so its round clock starts there), and everything the operation
     * does outside it (a helper dealing inputs the protocol expects, re-sharing an output) as input/output.
     */
    interface Measured {
        <T> T protocol(Supplier<T> body);
    }

    /** The name on the command line. */
    String name();

    /** One line for --help. */
    String summary();

    /** Number of input files: 1 (--in) or 2 (--in, --in2). */
    int arity();

    default InputKind inputKind(int input) {
        return InputKind.SHARED;
    }

    /** How input files are read (fixed point unless --raw; an operation on ring elements may insist on RAW). */
    default Encoding inputEncoding(int input, ProbeOptions o) {
        return o.raw() ? Encoding.RAW : Encoding.FIXED;
    }

    /** How the result is written. */
    default Encoding resultEncoding(ProbeOptions o) {
        return o.raw() ? Encoding.RAW : Encoding.FIXED;
    }

    /**
     * Checks the options before any file is read (throw {@code SecureNnException} USAGE). Default: the operation
     * takes neither --window nor --form.
     */
    default void checkOptions(ProbeOptions o) {
        ProbeOperations.noWindow(this, o);
        ProbeOperations.noForm(this, o);
    }

    /**
     * Checks the inputs' shapes and the options (throw {@code SecureNnException} BAD_INPUT or USAGE) and returns
     * the result's shape. Runs at every party, so all agree.
     */
    Shape resultShape(Shape[] inputs, ProbeOptions o);

    /**
     * Checks P0's plaintext inputs against the operation's domain before anything is shared: throws
     * {@code SecureNnException} (BAD_INPUT) outside it, returns warnings (printed by P0) for inputs inside it whose
     * results may be unreliable.
     */
    default List<String> checkDomain(long[][] inputs, Shape[] shapes, ProbeOptions o) {
        return List.of();
    }

    /**
     * The operation, SPMD (all three parties call it): per input the party's share (SHARED) or the plaintext where
     * the party holds it (PUBLIC_TO_HOLDERS, KNOWN_TO_HELPER), an empty array otherwise. Returns the party's Z_2^64
     * share of the result at P0 and P1 (or its share in the ring {@link #reconstruct} adds in), anything at P2.
     * It must run the protocol itself inside {@code measured.protocol(...)}, exactly once.
     */
    long[] run(PartyContext ctx, long[][] inputs, Shape[] shapes, ProbeOptions o, Measured measured);

    /** Combines P0's and P1's shares of one result element (Z_2^64 addition unless the result lives elsewhere). */
    default long reconstruct(long share0, long share1) {
        return share0 + share1;
    }

    /**
     * The protocol's documented cost in bytes, all parties together (its static {@code bytes(...)}), in a session
     * with these parameters (Z_67 wire format, DReLU form).
     */
    long formulaBytes(Shape[] inputs, ProbeOptions o, SessionParams session);

    /** The protocol's documented rounds (its static {@code rounds(...)}) in a session with these parameters. */
    int formulaRounds(Shape[] inputs, ProbeOptions o, SessionParams session);
}
