      * A BATCH FILE OF THREE KINDS OF RECORD, TOLD APART BY REC-TYPE:
      * A HEADER WITH THE BUSINESS DATE, CUSTOMER DETAILS, A TRAILER
      * WITH THE COUNT OF DETAILS.  RECFM=VB, IBM-037.
       01  BATCH-HEADER.
           05  REC-TYPE             PIC X.
           05  HDR-DATE             PIC 9(8).
           05  HDR-BRANCH           PIC X(4).
       01  BATCH-DETAIL.
           05  DTL-TYPE             PIC X.
           05  DTL-KEY              PIC X(8).
           05  DTL-NAME             PIC X(20).
       01  BATCH-TRAILER.
           05  TRL-TYPE             PIC X.
           05  TRL-COUNT            PIC 9(6).
