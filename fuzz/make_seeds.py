#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into OUT/<target>/ (docs/fuzzing.md).

Seeds come from the tests' own messages and calendars (the string literals of
tests/imip/*_test.cc that hold a mail header or BEGIN:VCALENDAR), the archive's frozen
records (tests/archive/testdata/*.hex), the real-client corpus read in place from
MAGENT_INTEROP_DIR (never copied into the repository), and a few inputs written here for
the targets whose input is structured by FuzzedDataProvider.

    fuzz/make_seeds.py OUT
"""
import hashlib
import os
import pathlib
import re
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# A C string literal; adjacent ones (split over lines) are one string.
LITERAL = re.compile(rb'"((?:[^"\\\n]|\\.)*)"')
ADJACENT = re.compile(rb'(?:"(?:[^"\\\n]|\\.)*"\s*)+')
MAIL_HEADER = re.compile(rb'^(From|To|Subject|Content-Type|MIME-Version):', re.M | re.I)
# The body of an Authentication-Results field, up to its line end.
AUTHENTICATION_RESULTS = re.compile(rb'^Authentication-Results:[ \t]*([^\r\n]*)', re.M | re.I)


def unescape(literal):
    # The source is UTF-8: its bytes pass through; a \u escape becomes UTF-8, as in C++.
    text = literal.decode('unicode_escape')
    return b''.join(bytes([ord(c)]) if ord(c) < 256 else c.encode() for c in text)


def test_strings():
    for source in sorted((ROOT / 'tests' / 'imip').glob('*_test.cc')):
        for match in ADJACENT.finditer(source.read_bytes()):
            yield b''.join(unescape(m.group(1)) for m in LITERAL.finditer(match.group(0)))


def write(out, target, data):
    directory = out / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def provider_input(strings, tail):
    """Bytes FuzzedDataProvider reads as `strings` (ConsumeRandomLengthString, in order)
    and, from the end, `tail` for its integers and flags."""
    escaped = [s.replace(b'\\', b'\\\\') for s in strings]
    return b'\\x'.join(escaped) + b'\\x' + tail


def senders_input(field, message, trust):
    """Bytes message_senders reads as its trust flag (from the end), an
    Authentication-Results `field` body, and the `message` (the rest)."""
    return field.replace(b'\\', b'\\\\') + b'\\x' + message + (b'\x01' if trust else b'\x00')


def main():
    out = pathlib.Path(sys.argv[1])
    for text in test_strings():
        if b'BEGIN:VCALENDAR' in text:
            write(out, 'itip_reader', b'\0' + text[text.index(b'BEGIN:VCALENDAR'):])
        if MAIL_HEADER.search(text):
            write(out, 'mail_reader', text)
        field = AUTHENTICATION_RESULTS.search(text)
        if field:
            write(out, 'message_senders', senders_input(field.group(1), text, True))
        elif MAIL_HEADER.search(text):
            write(out, 'message_senders', senders_input(b'', text, False))
    interop = os.environ.get('MAGENT_INTEROP_DIR')
    if interop and os.path.isdir(interop):
        for path in sorted(pathlib.Path(interop).iterdir()):
            if path.suffix == '.eml':
                write(out, 'mail_reader', path.read_bytes())
                write(out, 'message_senders', senders_input(b'', path.read_bytes(), True))
            elif path.suffix == '.ics':
                write(out, 'itip_reader', b'\0' + path.read_bytes())
    for path in sorted((ROOT / 'tests' / 'archive' / 'testdata').glob('*.hex')):
        write(out, 'record_codec', bytes.fromhex(path.read_text().strip()))
    for rule in [b'FREQ=WEEKLY;COUNT=10', b'FREQ=DAILY;UNTIL=20270101T000000Z',
                 b'FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2', b'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
                 b'FREQ=MINUTELY;COUNT=10000000', b'FREQ=SECONDLY']:
        write(out, 'recurrence', provider_input(
            [b'20261202T100000', b'20261202T110000', rule, b'20261224T100000',
             b'20261209T100000'], b'\x01\x01\x01\x40\x00\x10\x01\x02'))
    # store_records: the type byte (see the fuzzer), then a value in format 1.
    time = bytes.fromhex('80000000 6b0fd1a0')
    write(out, 'store_records', b'\x00\x01\x04uid1\x01' + time + bytes.fromhex('8000000000000000') + time +
          b'\x01s\x11alice@example.com\x08ACCEPTED\x00')
    write(out, 'store_records', b'\x04\x01\x00' + time + time + b'\x01' + time + time + time)
    write(out, 'store_records', b'\x05\x01\x04cars\x05rooms')
    # journal_codec: the entry type byte (see the fuzzer), then an entry. An event state
    # (type 3) of version 2: agent 9, held for signatures weighing 2.5, signed by source 4.
    u64 = lambda v: v.to_bytes(8, 'little')
    write(out, 'journal_codec', b'\x03\x02' + u64(9) + b'\x00' + u64(0) + b'\x00\x01' +
          struct.pack('<d', 2.5) + b'\x01' + u64(1) + u64(4))
    write(out, 'preferences', provider_input(
        [b'SCHEDULING_FUNCTION_DEFAULT = "schedule_in_freebusy"\n# comment\nSHARING_DEFAULT = share',
         b'decline\naccept organiser @example.com\nreject attendee mallory@example.com',
         b'10,12,14,16:0,20,40\n12::0,30', b'Mon-Fri 08:00-18:00',
         b'alice@example.com PT10H\n@example.com unlimited\nstaff PT2H',
         b'mailto:car1@example.com\ncar2@example.com',
         b'bob@example.com staff'], b'\x07'))


if __name__ == '__main__':
    main()
