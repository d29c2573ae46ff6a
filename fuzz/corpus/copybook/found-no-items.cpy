       01  EMPTY-REC.
