      * CUSTOMER INFORMATION FILE
      * FILE CIF.dat: RECFM=VB WITH RDW, CODE PAGE IBM-937, 348 BYTES
       01  CIF-RECORD.
           05  CIF-CUST-NO          PIC X(10).
      *        HOST CUSTOMER NUMBER
           05  CIF-CUST-TYPE        PIC X(01).
      *        P PERSON, C COMPANY
           05  CIF-ID-TYPE          PIC X(01).
      *        1 NATIONAL ID, 3 UBN
           05  CIF-ID-NO            PIC X(10).
      *        NATIONAL ID OR UBN
           05  CIF-NAME             PIC X(42).
      *        NAME, MIXED SBCS/DBCS (SO/SI)
           05  CIF-NAME-EN          PIC X(40).
      *        ROMANISED NAME
           05  CIF-BIRTH-DATE       PIC 9(07).
      *        BIRTH/FOUNDING DATE, ROC YYYMMDD
           05  CIF-GENDER           PIC X(01).
      *        M, F, SPACE FOR COMPANIES
           05  CIF-OCCUPATION       PIC X(04).
      *        OCCUPATION CODE
           05  CIF-ANNUAL-INCOME    PIC S9(11) COMP-3.
      *        DECLARED YEARLY INCOME, TWD
           05  CIF-ZIP              PIC X(05).
      *        POSTAL CODE
           05  CIF-ADDRESS          PIC X(82).
      *        ADDRESS, MIXED SBCS/DBCS
           05  CIF-TEL-HOME         PIC X(15).
      *        HOME PHONE
           05  CIF-TEL-MOBILE       PIC X(15).
      *        MOBILE PHONE
           05  CIF-EMAIL            PIC X(60).
      *        E-MAIL
           05  CIF-BRANCH           PIC X(04).
      *        HOME BRANCH
           05  CIF-OPEN-DATE        PIC 9(07).
      *        CUSTOMER SINCE, ROC YYYMMDD
           05  CIF-STATUS           PIC X(01).
      *        A ACTIVE, C CLOSED, D DECEASED
           05  CIF-STATUS-DATE      PIC 9(07).
      *        STATUS SINCE, ROC YYYMMDD
           05  CIF-SPOUSE-NO        PIC X(10).
      *        SPOUSE'S CUSTOMER NUMBER
           05  FILLER               PIC X(20).
