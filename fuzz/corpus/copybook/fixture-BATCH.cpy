      * A BATCH FILE OF THREE KINDS OF RECORD, TOLD APART BY REC-TYPE:
      * A HEADER WITH THE BUSINESS DATE, CUSTOMER DETAILS, A TRAILER
      * WITH THE COUNT OF DETAILS AND THE SUM OF THEIR AMOUNTS.
      * RECFM=VB, IBM-037.
       01  BATCH-HEADER.
           05  REC-TYPE             PIC X.
           05  HDR-DATE             PIC 9(8).
           05  HDR-BRANCH           PIC X(4).
       01  BATCH-DETAIL.
           05  DTL-TYPE             PIC X.
           05  DTL-KEY              PIC X(8).
           05  DTL-NAME             PIC X(20).
           05  DTL-AMOUNT           PIC S9(7)V99 COMP-3.
       01  BATCH-TRAILER.
           05  TRL-TYPE             PIC X.
           05  TRL-COUNT            PIC 9(6).
           05  TRL-TOTAL            PIC S9(9)V99 COMP-3.
