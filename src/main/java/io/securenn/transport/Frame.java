package io.securenn.transport;

/**
 * One framed message between two parties. On the wire: type (1 byte), sequence number (4), depth (4),
 * payload length (4), payload. The depth is a Lamport clock of message hops, from which rounds are counted.
 */
public record Frame(byte type, int seq, int depth, byte[] payload) {
    public static final byte DATA = 1;
    public static final byte HEARTBEAT = 2;
    public static final byte ABORT = 3;
    public static final byte BYE = 4;

    public static final int HEADER_BYTES = 13;

    public static String typeName(byte t) {
        return switch (t) {
            case DATA -> "DATA";
            case HEARTBEAT -> "HEARTBEAT";
            case ABORT -> "ABORT";
            case BYE -> "BYE";
            default -> "unknown(" + t + ")";
        };
    }

    public static boolean knownType(byte t) {
        return t >= DATA && t <= BYE;
    }
}
