build-prof/src/core/seal.o: src/core/seal.c src/core/seal.h \
 src/core/error.h
src/core/seal.h:
src/core/error.h:
