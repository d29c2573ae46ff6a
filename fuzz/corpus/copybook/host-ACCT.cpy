      * ACCOUNT MASTER, ONE RECORD PER HOLDER
      * FILE ACCT.dat: RECFM=VB WITH RDW, CODE PAGE IBM-937, 101 BYTES
       01  ACCT-RECORD.
           05  ACCT-NO              PIC X(14).
      *        ACCOUNT NUMBER
           05  ACCT-CUST-NO         PIC X(10).
      *        HOLDER'S CUSTOMER NUMBER
           05  ACCT-ROLE            PIC X(01).
      *        O OWNER, J JOINT, G GUARANTOR
           05  ACCT-PRODUCT         PIC X(06).
      *        PRODUCT CODE
           05  ACCT-BRANCH          PIC X(04).
      *        BRANCH
           05  ACCT-CURRENCY        PIC X(03).
      *        ISO 4217
           05  ACCT-OPEN-DATE       PIC 9(07).
      *        ROC YYYMMDD
           05  ACCT-CLOSE-DATE      PIC 9(07).
      *        ROC YYYMMDD, ZERO WHILE OPEN
           05  ACCT-STATUS          PIC X(01).
      *        A ACTIVE, C CLOSED
           05  ACCT-BALANCE         PIC S9(13)V9(2) COMP-3.
      *        BALANCE, LOANS NEGATIVE
           05  ACCT-LIMIT           PIC S9(13)V9(2) COMP-3.
      *        CREDIT LIMIT OR LOAN AMOUNT
           05  ACCT-RATE            PIC S9(03)V9(4) COMP-3.
      *        INTEREST RATE, PERCENT
           05  ACCT-BAL-DATE        PIC 9(07).
      *        BALANCE DATE, ROC YYYMMDD
           05  ACCT-ACCRUED-INT     PIC S9(09)V9(2).
      *        ACCRUED INTEREST, ZONED
           05  FILLER               PIC X(10).
