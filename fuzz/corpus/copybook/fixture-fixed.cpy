       01  FX-RECORD.
           05  FX-NO                PIC X(06).
           05  FX-NAME              PIC X(10).
           05  FX-BAL               PIC S9(5)V99 COMP-3.
