build-prof/src/core/ebcdic.o: src/core/ebcdic.c src/core/ebcdic.h \
 src/core/error.h src/core/utf8.h
src/core/ebcdic.h:
src/core/error.h:
src/core/utf8.h:
