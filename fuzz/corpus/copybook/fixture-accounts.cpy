      * A TEST LAYOUT WITH AN EDITED PICTURE THE LOADER REFUSES
       01  ACC-RECORD.
           05  ACC-NO               PIC X(10).
           05  ACC-BAL              PIC ZZZ9.99.
