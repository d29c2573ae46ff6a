       01  NM-RECORD.
           05  NM-ID                PIC X(04).
           05  NM-NAME              PIC X(20).
