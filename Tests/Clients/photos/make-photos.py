#!/usr/bin/python3
"""Makes the test photos with GDAL (python3-gdal from Debian): a 64 × 48 JPEG carrying Exif GPS
tags (35°42'17.28"N 139°38'9.24"E, near 阿佐ケ谷駅), an orientation (6: turned right), a camera make
and a thumbnail; and a PNG whose text chunks name the same place. The position is the point of
the test: the public copy must not carry it.

    Tests/Clients/photos/make-photos.py DIRECTORY
"""
import sys

import numpy
from osgeo import gdal

gdal.UseExceptions()
directory = sys.argv[1]
image = gdal.GetDriverByName("MEM").Create("", 64, 48, 3, gdal.GDT_Byte)
for band in range(3):
    pattern = (numpy.indices((48, 64)).sum(axis=0) * (band + 1)) % 256
    image.GetRasterBand(band + 1).WriteArray(pattern.astype("uint8"))
image.SetMetadata({
    "EXIF_GPSLatitudeRef": "N", "EXIF_GPSLatitude": "(35) (42) (17.28)",
    "EXIF_GPSLongitudeRef": "E", "EXIF_GPSLongitude": "(139) (38) (9.24)",
    "EXIF_Orientation": "6", "EXIF_Make": "TestPhone"})
gdal.GetDriverByName("JPEG").CreateCopy(f"{directory}/with-gps.jpg", image, options=["EXIF_THUMBNAIL=YES"])
image.SetMetadata({"Comment": "GPS 35.704800,139.635900 Asagaya", "Author": "resident"})
gdal.GetDriverByName("PNG").CreateCopy(f"{directory}/with-text.png", image, options=["WRITE_METADATA_AS_TEXT=YES"])
