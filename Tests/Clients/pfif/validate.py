#!/usr/bin/python3
"""Validates PFIF 1.4 files against pfif-1.4.rng (lxml from Debian's python3-lxml); prints ok or
each error with its line, and exits 1 on any."""
import pathlib
import sys

from lxml import etree

schema = etree.RelaxNG(etree.parse(str(pathlib.Path(__file__).with_name("pfif-1.4.rng"))))
failed = False
for path in sys.argv[1:]:
    document = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(document):
        print(f"{path}: ok")
    else:
        failed = True
        for error in schema.error_log:
            print(f"{path}:{error.line}: {error.message}")
sys.exit(1 if failed else 0)
