      * TXN.cpy WITH ITS MEMO AS AN ARRAY OF 0 OR 1 BEFORE THE AMOUNTS
      * (BENCH/LOAD.SH, ISSUE 27 ITEM 5): RECFM=VB, IBM-937
       01  TXN-RECORD.
           05  TXN-ACCT-NO          PIC X(14).
           05  TXN-SEQ              PIC 9(09).
           05  TXN-DATE             PIC 9(07).
           05  TXN-TIME             PIC 9(06).
           05  TXN-CODE             PIC X(04).
           05  TXN-CHANNEL          PIC X(02).
           05  TXN-MEMO-N           PIC 9(01).
           05  TXN-MEMO             PIC X(22)
                                    OCCURS 0 TO 1 TIMES DEPENDING ON TXN-MEMO-N.
           05  TXN-AMOUNT           PIC S9(13)V9(2) COMP-3.
           05  TXN-BALANCE          PIC S9(13)V9(2) COMP-3.
           05  TXN-BRANCH           PIC X(04).
           05  FILLER               PIC X(08).
