package io.securenn.serve;

/**
 * A reply's public metadata: the batch's rows and queries, the replying party's payload bytes for the batch, P2's
 * (of the latest batch P2 reported; −1 if none yet, and always −1 from P1) and the peak resident memory in kB of
 * the replying party and of P2 (−1 likewise).
 */
public record ReplyMeta(int batchRows, int batchQueries, long bytes, long bytesP2, long peakKb, long peakKbP2) {}
