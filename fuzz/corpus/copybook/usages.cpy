       01  USAGE-REC.
           05  U-BIN2        PIC S9(4)  USAGE IS BINARY.
           05  U-BIN4        PIC 9(9)   COMP-4.
           05  U-BIN8        PIC S9(18) COMP-5.
           05  U-PACK        PIC S9(5)V99 PACKED-DECIMAL.
           05  U-PACK3       PIC 9(3)   COMPUTATIONAL-3.
           05  U-DBCS        PIC G(10)  DISPLAY-1.
           05  U-NAT         PIC N(4)   NATIONAL.
           05  U-TEXT        PIC X(12)  JUSTIFIED RIGHT.
           05  U-NUM         PIC 9(5)   BLANK WHEN ZERO.
           05  U-ZONED       PIC S9(3)V9 DISPLAY.
      D    05  U-DEBUG       PIC X(01).
      /
           05  U-LAST        PICTURE IS XXX.
