build-prof/src/core/utf8.o: src/core/utf8.c src/core/utf8.h
src/core/utf8.h:
