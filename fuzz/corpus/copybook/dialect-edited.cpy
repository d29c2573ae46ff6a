       01 R.
          05 ED PIC ZZ,ZZ9.99-.
          05 CR PIC $$$,$$9.99CR.
          05 PL PIC +9(3).99.
          05 STAR PIC **,**9.99 BLANK WHEN ZERO.
          05 FM PIC ----9.
          05 SPT PIC S9(3).99 SIGN LEADING SEPARATE.
          05 F1 COMP-1.
          05 GRP COMP-3.
             10 A PIC S9(29)V9(9).
             10 B PIC PPP9(3).
          05 SG SIGN TRAILING SEPARATE.
             10 C PIC S9(20)
