#!/usr/bin/env python3
"""The host's TXN files rewritten with OCCURS DEPENDING ON (issue 27 item 5): each RDW record of
TXN.cpy's layout becomes one of TXN-ODO.cpy's, its 22-byte memo an array of 0 or 1 occurrences
(none when the memo is blank) before the amounts, so that every field after it moves with the count
and the records vary in length.  The bytes are copied, not decoded: the same values in another
layout; a record that is not TXN.cpy's 92 bytes (the generator's defects) is passed on as it is.
usage: txn_odo.py IN.dat... OUT.dat"""
import struct
import sys

TXN_LEN = 92


def convert(rec):
    head, amounts, memo, tail = rec[:42], rec[42:58], rec[58:80], rec[80:92]
    blank = memo.strip(b"\x40") == b""
    return head + (b"\xf0" if blank else b"\xf1" + memo) + amounts + tail


def main():
    *ins, out = sys.argv[1:]
    with open(out, "wb") as w:
        for path in ins:
            b = open(path, "rb").read()
            at = 0
            while at + 4 <= len(b):
                n = struct.unpack(">H", b[at:at + 2])[0]
                rec = b[at + 4:at + n]
                if n < 4 or len(rec) != TXN_LEN:  # the generator's defects, passed on as they are
                    w.write(b[at:at + max(n, 4)])
                    at += max(n, 4)
                    continue
                r = convert(rec)
                w.write(struct.pack(">HH", len(r) + 4, 0) + r)
                at += n
            w.write(b[at:])


if __name__ == "__main__":
    main()
