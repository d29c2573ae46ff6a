      * POSTED TRANSACTIONS OF ONE MONTH
      * FILE TXN_YYYYMM.dat: RECFM=VB WITH RDW, CODE PAGE IBM-937, 92 BYTES
       01  TXN-RECORD.
           05  TXN-ACCT-NO          PIC X(14).
      *        ACCOUNT NUMBER
           05  TXN-SEQ              PIC 9(09).
      *        SEQUENCE WITHIN THE ACCOUNT
           05  TXN-DATE             PIC 9(07).
      *        POSTING DATE, ROC YYYMMDD
           05  TXN-TIME             PIC 9(06).
      *        HHMMSS, TAIPEI TIME
           05  TXN-CODE             PIC X(04).
      *        TRANSACTION CODE
           05  TXN-CHANNEL          PIC X(02).
      *        BR AT IB MB PH BT
           05  TXN-AMOUNT           PIC S9(13)V9(2) COMP-3.
      *        AMOUNT, CREDIT POSITIVE
           05  TXN-BALANCE          PIC S9(13)V9(2) COMP-3.
      *        BALANCE AFTER
           05  TXN-MEMO             PIC X(22).
      *        MEMO, MIXED SBCS/DBCS
           05  TXN-BRANCH           PIC X(04).
      *        BRANCH OR ATM SITE
           05  FILLER               PIC X(08).
