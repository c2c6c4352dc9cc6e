"""The IDX reader the by-hand Python scripts share (MNIST's and Fashion-MNIST's original files, plain or gzipped)."""
import gzip
import struct

import numpy as np


def idx(path):
    """The array in an IDX file of unsigned bytes, shaped as the file's dimensions say."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
