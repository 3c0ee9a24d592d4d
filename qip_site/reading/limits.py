"""Every limit of the project, each with its reason: what a real input never reaches, and a hostile
or broken one would, taking minutes or gigabytes before anything could be said about it.

Each limit is checked before the work it protects, and a file past it is refused with one
Vietnamese line naming the file (and, for plan files, the line and field where it was passed).
"""

from __future__ import annotations

MB = 1024 * 1024

# --- Plan files (YAML), checked by load.read_yaml before any reader builds them ---------------------

# The longest real plan (five years, every row) is about 50 KB. A file of megabytes is not a plan
# (a renamed document, text pasted over and over) and would only make every build slow.
MAX_BYTES = 2 * MB
# The format nests about ten levels (table, levels, standards, criteria, years, cells); much deeper
# nesting is a broken file, and would exhaust the YAML readers (libyaml even crashes, past ~50,000).
MAX_DEPTH = 40
# Texts, lists and blocks written in a file (before aliases copy any): the biggest real plan (five
# years, 40 KB) has 1,000, a 1.9 MB plan of 6,000 rows 66,000. Each costs about 0.6 KB and 10 µs to
# build, and 0.1-0.2 ms in ruamel, the pure-Python reader that explains errors (100,000 take it 10-20
# s): a 2 MB file of one-letter items ("[a,a,a,…]") holds a million of them.
MAX_NODES = 100_000
# Aliases ("*name") copy an anchored part ("&name") again, merge keys ("<<: *name") too; YAML
# dumpers write them for repeated lists. Nested, they multiply ("billion laughs": a 1 KB file of nine
# aliases of nine aliases …): what they would copy (each text by its length plus one, each list
# and block by one plus its parts) is counted before anything is built, and may not pass this.
MAX_COPIED = 1_000_000
# Merge keys ("<<: *name"), which plans do not need: ruamel compares each block merging a part with
# every block that merged it before (time grows with the square of their number: 1,000 merges of
# one block of 100 fields take 15 s, 10,000 of 10 fields four minutes).
MAX_MERGES = 100

# --- Signed originals and file names, checked by validate -----------------------------------------

# A scan of a ten-page plan at 300 dpi is 2-5 MB; a file four times the biggest such scan is not
# worth making every reader download. The default of the plugin option original_max_mb in
# mkdocs.yml, which a site may set otherwise.
ORIGINAL_MAX_BYTES = 20 * MB
# School folder and plan file names are parts of page addresses and of file names in the site
# ("truong/<folder>/ke-hoach-<file>/ban-goc.pdf"): real ones have under 40 characters, and a file
# system refuses a name of more than 255 bytes.
MAX_NAME_CHARS = 80

# --- Word files, checked by importer.word_file before python-docx reads them -----------------------

# A Word file as saved: a plan with a few pictures is under 5 MB, a scanned one tens of MB. A
# .doc goes to LibreOffice whole; past this it is not a plan, and converting it would take minutes.
WORD_MAX_BYTES = 100 * MB
# Parts in a .docx (a zip): Word writes about 20, plus one per picture.
DOCX_MAX_PARTS = 1_000
# The text of a .docx unpacked: its XML parts (word/document.xml, styles, numbering, headers …)
# together. A plan's are about 1 MB (a 100-page document's 5 MB). python-docx parses them all at
# once, at about 12 times their size in memory, and the importer reads a 15 MB text in 25 s; a
# 1.8 MB .docx whose document.xml unpacks to 600 MB exhausts memory.
DOCX_MAX_TEXT_BYTES = 10 * MB
# All parts unpacked, pictures included (held in memory as they are): a plan with pictures is
# rarely 10 MB, one of scanned pages perhaps 30.
DOCX_MAX_UNPACKED_BYTES = 60 * MB
