       01  BAD-REC.
           05  B-EDIT        PIC ZZ,ZZ9.99-.
           05  B-DEP         PIC X OCCURS 1 TO 9 DEPENDING ON B-N.
           05  B-SIGN        PIC S9(3) SIGN LEADING SEPARATE.
           05  B-SYNC        PIC S9(4) COMP SYNC.
           05  B-FLOAT       COMP-2.
       66  B-REN RENAMES B-EDIT THRU B-SIGN.
