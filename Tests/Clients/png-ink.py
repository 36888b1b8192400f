#!/usr/bin/python3
"""Prints a PNG's width, height and the share of dark pixels (luma < 128) in each horizontal
tenth, top to bottom: how tests look at a rendered page. Pillow from Debian (python3-pil)."""
import sys

from PIL import Image

image = Image.open(sys.argv[1]).convert("L")
width, height = image.size
pixels = image.load()
bands = []
for band in range(10):
    rows = range(band * height // 10, (band + 1) * height // 10)
    dark = sum(1 for y in rows for x in range(width) if pixels[x, y] < 128)
    bands.append(dark / (len(rows) * width))
print(width, height, " ".join(f"{share:.4f}" for share in bands))
