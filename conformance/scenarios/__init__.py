"""Named scenarios and generator alphabets, one module per primitive (mirroring ``spec``)."""
