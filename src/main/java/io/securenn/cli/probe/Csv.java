package io.securenn.cli.probe;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The probe's CSV: one matrix row per line, values separated by commas (spaces around them are ignored); a
 * vector is one value per line. Blank lines at the end are ignored; anything else irregular is an error that
 * names the file, line and column.
 */
public final class Csv {
    private Csv() {}

    /** A matrix read from a file: row-major values and shape. */
    public record Matrix(long[] values, Shape shape) {}

    public static Matrix read(Path file, Encoding enc) {
        long[] vals = new long[1024];
        int n = 0, cols = -1, rows = 0, lineNo = 0, blankAt = -1;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) {
                    if (blankAt < 0) blankAt = lineNo;
                    continue;
                }
                if (blankAt >= 0) throw SecureNnException.badInput(file + " line " + blankAt + " is empty");
                String[] parts = line.split(",", -1);
                if (cols < 0) cols = parts.length;
                else if (parts.length != cols) {
                    throw SecureNnException.badInput(file + " line " + lineNo + " has " + parts.length + " value"
                            + (parts.length == 1 ? "" : "s") + " where the rows above have " + cols
                            + " (rows must all have the same length)");
                }
                for (int c = 0; c < parts.length; c++) {
                    if (n == vals.length) {
                        if (vals.length == Integer.MAX_VALUE - 8) throw SecureNnException.badInput(file + " has too many values");
                        vals = java.util.Arrays.copyOf(vals, (int) Math.min(Integer.MAX_VALUE - 8, 2L * vals.length));
                    }
                    try {
                        vals[n++] = enc.parse(parts[c]);
                    } catch (IllegalArgumentException e) {
                        throw SecureNnException.badInput(file + " line " + lineNo + ", column " + (c + 1) + ": " + e.getMessage());
                    }
                }
                rows++;
            }
        } catch (CharacterCodingException e) {
            throw SecureNnException.badInput(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw SecureNnException.badInput("cannot read " + file + ": " + AtomicFiles.describe(e));
        }
        if (rows == 0) throw SecureNnException.badInput(file + " holds no values");
        return new Matrix(java.util.Arrays.copyOf(vals, n), new Shape(rows, cols));
    }

    /** Writes the matrix atomically (temporary file, then rename). */
    public static void write(Path file, long[] values, Shape shape, Encoding enc) {
        StringBuilder sb = new StringBuilder(values.length * 8);
        for (int i = 0; i < shape.rows(); i++) {
            for (int j = 0; j < shape.cols(); j++) {
                if (j > 0) sb.append(',');
                sb.append(enc.format(values[i * shape.cols() + j]));
            }
            sb.append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
