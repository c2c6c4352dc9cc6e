package io.securenn.cli.probe;

import io.securenn.runtime.PartyContext;

import java.util.List;
import java.util.OptionalLong;

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
        PUBLIC_TO_HOLDERS
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
     * The protocol, SPMD (all three parties call it): per input the party's share (SHARED) or the plaintext
     * (PUBLIC_TO_HOLDERS) at P0 and P1, an empty array at P2. Returns the party's share of the result at P0 and
     * P1 (anything at P2). Only what happens in here is counted as the operation's bytes and rounds.
     */
    long[] run(PartyContext ctx, long[][] inputs, Shape[] shapes, ProbeOptions o);

    /** Combines P0's and P1's shares of one result element (Z_2^64 addition unless the result lives elsewhere). */
    default long reconstruct(long share0, long share1) {
        return share0 + share1;
    }

    /** The operation's documented cost in bytes, all parties together, if it has a formula. */
    default OptionalLong formulaBytes(Shape[] inputs, ProbeOptions o) {
        return OptionalLong.empty();
    }
}
