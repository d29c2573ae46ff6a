      * BRANCH MASTER
      * FILE BRANCH.dat: RECFM=VB WITH RDW, CODE PAGE IBM-937, 80 BYTES
       01  BR-RECORD.
           05  BR-CODE              PIC X(04).
      *        BRANCH CODE
           05  BR-NAME              PIC X(30).
      *        BRANCH NAME, MIXED SBCS/DBCS
           05  BR-COUNTY            PIC X(12).
      *        COUNTY OR CITY
           05  BR-DISTRICT          PIC X(12).
      *        DISTRICT
           05  BR-ZIP               PIC X(05).
      *        POSTAL CODE
           05  BR-OPEN-DATE         PIC 9(07).
      *        OPENED, ROC YYYMMDD
           05  FILLER               PIC X(10).
