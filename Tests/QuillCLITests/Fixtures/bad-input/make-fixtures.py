#!/usr/bin/env python3
"""Writes the small binary files of the bad-input corpus, byte for byte the same each time.

Run it from this folder after changing it: python3 make-fixtures.py
The two large cases (a 50 MB line, a zip bomb) are made by the test itself, not kept here.
"""
import struct
import zipfile

STAMP = (2024, 1, 1, 0, 0, 0)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="xml" ContentType="application/xml"/></Types>')


def document(body, prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>' + prolog +
            f'<w:document {W}><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>')


def zip_bytes(entries):
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def docx(text_xml, extra=()):
    return zip_bytes([("[Content_Types].xml", TYPES), ("word/document.xml", text_xml), *extra])


def encrypted(data, name):
    """Sets the 'encrypted' flag of an entry in its local header and in the central directory."""
    data = bytearray(data)
    raw = name.encode()
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_offset:at + name_offset + len(raw)] == raw:
                flags = struct.unpack_from("<H", data, at + flag_offset)[0]
                struct.pack_into("<H", data, at + flag_offset, flags | 1)
            at = data.find(signature, at + 1)
    return bytes(data)


def qde(inner):
    return ('<?xml version="1.0" encoding="utf-8"?>'
            f'<Project xmlns="urn:QDA-XML:project:1.0" name="hostile" origin="Test">{inner}</Project>')


SOURCE = ('<Sources><TextSource guid="50C0E000-0000-4000-8000-0000000000B1" name="Hostile source" '
          'plainTextPath="internal://s.txt">{selections}</TextSource></Sources>')
CODEBOOK = ('<CodeBook><Codes><Code guid="C0DE0000-0000-4000-8000-0000000000B1" name="Hostile code" isCodable="true"/>'
            '{more}</Codes></CodeBook>')
TEXT = "P7: Café talk 😀 in a short text.\r\n".encode()


def qdpx(inner, extra=()):
    return zip_bytes([("project.qde", qde(inner)), ("sources/s.txt", TEXT), *extra])


def selection(number, start, end, code="C0DE0000-0000-4000-8000-0000000000B1"):
    return (f'<PlainTextSelection guid="5E100000-0000-4000-8000-0000000000{number:02X}" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="C0D10000-0000-4000-8000-0000000000{number:02X}"><CodeRef targetGUID="{code}"/></Coding>'
            '</PlainTextSelection>')


BOMB = ('<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
        '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>')

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
valid = docx(document("P1: A transcript that is fine."))
files = {
    "binary.txt": bytes(range(256)) * 4,
    "report.pdf": PDF,
    "report-renamed.txt": PDF,
    "report-renamed.docx": PDF,
    "transcript-renamed.txt": valid,
    "letter-renamed.txt": "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}P1: Caf\\'e9 talk.\\par}\n",
    "minutes.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    "invalid-utf8.txt": "P1: Café at the library,\nP2: then ".encode() + b"\xc3\x28 broken \x81\x8d\n",
    "utf16-no-bom.txt": "P1: Hello from the library, café and all.\nP2: Yes.\n".encode("utf-16-le"),
    "not-a-zip.docx": "P1: This is plain text saved with a .docx name.\n".encode(),
    "no-document.docx": zip_bytes([("[Content_Types].xml", TYPES), ("word/styles.xml", "<styles/>")]),
    "truncated.docx": valid[: len(valid) // 2],
    "encrypted.docx": encrypted(valid, "word/document.xml"),
    "external-entity.docx": docx(document("&secret;", '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>')),
    "dtd-fetch.docx": docx(document("P1: fetch", '<!DOCTYPE w:document SYSTEM "http://example.invalid/evil.dtd">')),
    "entity-bomb.docx": docx(document("&h;&h;&h;&h;", BOMB)),
    "climbs-up.docx": docx(document("P1: A transcript with a stowaway."), [("../x", "escaped")]),
    "absolute-path.docx": docx(document("P1: A transcript with a stowaway."), [("/etc/x", "escaped")]),
    "climbs-up.qdpx": qdpx(SOURCE.format(selections=""), [("../x", "escaped")]),
    "absolute-path.qdpx": qdpx(SOURCE.format(selections=""), [("/etc/x", "escaped")]),
    "duplicate-guids.qdpx": qdpx(CODEBOOK.format(more='<Code guid="{c0de0000-0000-4000-8000-0000000000b1}" name="Twin" isCodable="true"/>')),
    "positions-outside.qdpx": qdpx(CODEBOOK.format(more="") + SOURCE.format(selections=selection(1, 4, 8) + selection(2, 4, 4000))),
    "dangling-reference.qdpx": qdpx(CODEBOOK.format(more="") + SOURCE.format(
        selections=selection(3, 4, 8) + selection(4, 0, 3, code="C0DE0000-0000-4000-8000-0000000000FF"))),
}
for name, data in files.items():
    with open(name, "wb") as handle:
        handle.write(data.encode() if isinstance(data, str) else data)
